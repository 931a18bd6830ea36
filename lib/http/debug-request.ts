import "server-only";
import type { Masker } from "./mask";
import type { DebugRequest } from "./types";

const PREVIEW_BYTES = 2048;

export function describeRequest(req: { method: string; url: URL; headers: Headers; body?: Uint8Array }, masker: Masker): DebugRequest {
  // host and content-length are added by undici on the wire; shown so the request reads as it was sent.
  const headers: Record<string, string> = { host: masker.text(req.url.host) };
  for (const [k, v] of req.headers) headers[k] = masker.text(v);
  if (req.body) headers["content-length"] = String(req.body.length);
  const out: DebugRequest = { method: req.method, url: masker.text(req.url.href), headers, bodySize: req.body?.length ?? 0 };
  if (req.body?.length) {
    // Mask a little past the cut so a secret straddling it is masked whole before the text is shortened
    // (a JSON \uXXXX escape of a 4-byte character is 12 characters long).
    const margin = Math.max(0, ...masker.secrets().map((s) => s.length * 12));
    const view = Buffer.from(req.body.buffer, req.body.byteOffset, Math.min(req.body.length, PREVIEW_BYTES + margin));
    const masked = masker.text(view.toString("utf8"));
    const more = req.body.length > PREVIEW_BYTES ? ` … (${req.body.length} bytes in all)` : "";
    out.bodyPreview = (req.body.length > PREVIEW_BYTES ? masked.slice(0, PREVIEW_BYTES) : masked) + more;
  }
  return out;
}
