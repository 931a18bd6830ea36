import { maskSecrets } from "@/lib/http/mask";
import type { RequestSpec } from "@/lib/http/spec";

/**
 * A spec as history and saved requests keep it: file contents dropped (only their names and sizes
 * remain) and any connection secret a user pasted into a field masked.
 */
export function storableSpec(spec: RequestSpec, secrets: readonly string[]): Record<string, unknown> {
  const body =
    spec.body.type === "multipart"
      ? {
          ...spec.body,
          fields: spec.body.fields.map((f) =>
            f.type === "file" ? { type: "file", name: f.name, fileName: f.fileName, contentType: f.contentType } : f,
          ),
        }
      : spec.body;
  const json = JSON.stringify({ ...spec, body });
  return JSON.parse(secrets.length ? maskSecrets(json, secrets) : json) as Record<string, unknown>;
}
