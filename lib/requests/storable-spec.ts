import type { Masker } from "@/lib/http/mask";
import type { RequestSpec } from "@/lib/http/spec";

/**
 * A spec as history and saved requests keep it: file contents dropped (only their names and sizes
 * remain) and any connection secret a user pasted into a field masked.
 */
export function storableSpec(spec: RequestSpec, masker: Masker): Record<string, unknown> {
  const body =
    spec.body.type === "multipart"
      ? {
          ...spec.body,
          fields: spec.body.fields.map((f) =>
            f.type === "file" ? { type: "file", name: f.name, fileName: f.fileName, contentType: f.contentType } : f,
          ),
        }
      : spec.body;
  // Masked value by value, then through JSON: what is stored is plain data (no Buffers, no undefined).
  return JSON.parse(JSON.stringify(masker.value({ ...spec, body }))) as Record<string, unknown>;
}
