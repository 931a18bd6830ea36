import "server-only";
import { FormData, Response } from "undici";
import { HttpRequestError } from "./errors";
import type { RequestBody } from "./spec";

/** A body ready to send: bytes are kept so retries, refreshes and 307/308 hops can send it again. */
export type BuiltBody = { bytes: Uint8Array; contentType: string };

const RAW_TYPES = { json: "application/json", text: "text/plain; charset=utf-8", xml: "application/xml", html: "text/html; charset=utf-8" } as const;

export async function buildRequestBody(body: RequestBody): Promise<BuiltBody | undefined> {
  switch (body.type) {
    case "none":
      return undefined;
    case "raw": {
      const contentType = body.contentType === "custom" ? (body.customContentType ?? "").trim() : RAW_TYPES[body.contentType];
      return { bytes: Buffer.from(body.text, "utf8"), contentType };
    }
    case "urlencoded": {
      const params = new URLSearchParams();
      for (const f of body.fields) if (f.enabled && f.key) params.append(f.key, f.value);
      return { bytes: Buffer.from(params.toString(), "utf8"), contentType: "application/x-www-form-urlencoded" };
    }
    case "multipart":
      return buildMultipart(body.fields);
  }
}

type MultipartField = Extract<RequestBody, { type: "multipart" }>["fields"][number];

async function buildMultipart(fields: MultipartField[]): Promise<BuiltBody> {
  const form = new FormData();
  for (const field of fields) {
    if (field.type === "text") {
      form.append(field.name, field.value);
      continue;
    }
    const content = field.buffer ?? (field.base64 !== undefined ? Buffer.from(field.base64, "base64") : undefined);
    if (!content) {
      const origin = field.path ? ` (it was imported as @${field.path})` : "";
      throw new HttpRequestError("invalid_request", `the file field "${field.name}" has no content${origin}; attach the file`);
    }
    form.append(field.name, new Blob([new Uint8Array(content)], { type: field.contentType }), field.fileName);
  }
  // The Fetch serializer writes the multipart bytes and picks the boundary; no hand-rolled encoder.
  const encoded = new Response(form);
  return {
    bytes: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get("content-type") ?? "multipart/form-data",
  };
}
