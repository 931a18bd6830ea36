import "server-only";
import { HttpRequestError } from "./errors";
import type { ReadBody } from "./read-response";
import type { RequestSpec } from "./spec";
import type { ResponseBody, ResponseHeaders } from "./types";

/** Turns the bytes read into the body the user asked for: parsed JSON, decoded text, bytes or a file. */
export function toResponseBody(
  read: ReadBody,
  responseType: RequestSpec["responseType"],
  headers: ResponseHeaders,
  response: { status: number; statusText: string; url: string },
): ResponseBody {
  if (read.kind === "file") return { type: "file", path: read.path, size: read.size };
  if (responseType === "binary") return { type: "binary", value: read.data };
  const text = decodeText(read.data, headers["content-type"]);
  if (responseType === "text") return { type: "text", value: text };
  try {
    return { type: "json", value: JSON.parse(text) };
  } catch (err) {
    // An empty (or blank) body is no JSON value: null, not an error.
    if (/^\s*$/.test(text)) return { type: "json", value: null };
    throw new HttpRequestError(
      "invalid_json",
      `the response is not valid JSON (${(err as Error).message}); choose the text response type to see it as it is`,
      { ...response, headers, bodyPreview: text.slice(0, 2048) },
    );
  }
}

export function bodyValue(body: ResponseBody): unknown {
  return body.type === "file" ? { path: body.path, size: body.size } : body.value;
}

/** undici's header object without undefined entries. */
export function normalizeHeaders(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  const out: ResponseHeaders = {};
  for (const k in raw) {
    const v = raw[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// A decoder holds no state between whole-buffer decode() calls, so one per charset label serves every response.
const decoders = new Map<string, TextDecoder | null>();
const MAX_DECODERS = 64;

function decodeText(data: Buffer, contentType: string | string[] | undefined): string {
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  const charset = type ? /charset="?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase() : undefined;
  const decoder = charset ? decoderFor(charset) : null;
  // Unknown charset label: UTF-8 rather than failing the request.
  return decoder ? decoder.decode(data) : data.toString("utf8");
}

function decoderFor(label: string): TextDecoder | null {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = null;
    }
    if (decoders.size < MAX_DECODERS) decoders.set(label, decoder);
  }
  return decoder;
}
