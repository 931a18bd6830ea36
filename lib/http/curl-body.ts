import type { RequestSpecInput } from "./spec";

export type DataPiece = { kind: "data" | "data-binary" | "data-raw" | "data-urlencode" | "json"; value: string };

type BodyInput = NonNullable<RequestSpecInput["body"]>;

// What the executor sends for each raw type when no Content-Type header is given; a header equal to one of
// these adds nothing, so the import drops it and lets the body type say it.
const RAW_DEFAULTS: Record<string, "json" | "text" | "xml" | "html"> = {
  "application/json": "json",
  "text/plain; charset=utf-8": "text",
  "application/xml": "xml",
  "text/html; charset=utf-8": "html",
};

const KIND_OF_TYPE: Record<string, "json" | "text" | "xml" | "html"> = {
  "application/json": "json",
  "text/plain": "text",
  "application/xml": "xml",
  "text/xml": "xml",
  "text/html": "html",
};

/**
 * The body of a pasted cURL command, said in the request builder's terms. Data is kept byte-exact: form
 * fields only when re-encoding them gives back the same text, otherwise raw text with its content type.
 */
export function curlBody(data: DataPiece[], form: { text: string; literal: boolean }[], headersIn: [string, string][]) {
  const warnings: string[] = [];
  let headers = [...headersIn];
  const typeIndex = headers.findIndex(([k]) => k.toLowerCase() === "content-type");
  const contentType = typeIndex >= 0 ? headers[typeIndex][1] : undefined;
  const dropContentType = () => (headers = headers.filter((_, i) => i !== typeIndex));

  if (form.length) {
    if (data.length) warnings.push("a command cannot send both -d data and -F form fields; the data was ignored");
    if (contentType?.toLowerCase().startsWith("multipart/form-data")) dropContentType(); // its boundary would be wrong
    return { body: { type: "multipart", fields: form.map((f) => formField(f, warnings)) } satisfies BodyInput, headers, warnings };
  }
  if (!data.length) return { body: { type: "none" } satisfies BodyInput, headers, warnings };

  const isJson = data.some((d) => d.kind === "json");
  const text = joinData(data, warnings);
  if (isJson) {
    if (!headers.some(([k]) => k.toLowerCase() === "accept")) headers.push(["Accept", "application/json"]);
    if (contentType === undefined) return { body: { type: "raw", contentType: "json", text } satisfies BodyInput, headers, warnings };
  }
  const essence = contentType?.split(";")[0].trim().toLowerCase() ?? "application/x-www-form-urlencoded";
  if (essence === "application/x-www-form-urlencoded") {
    const params = new URLSearchParams(text);
    if (params.toString() === text) {
      if (contentType !== undefined && contentType.toLowerCase() === essence) dropContentType();
      const fields = [...params].map(([key, value]) => ({ key, value }));
      return { body: { type: "urlencoded", fields } satisfies BodyInput, headers, warnings };
    }
  }
  const kind = KIND_OF_TYPE[essence];
  if (kind && RAW_DEFAULTS[contentType ?? ""] === kind) dropContentType();
  if (kind) return { body: { type: "raw", contentType: kind, text } satisfies BodyInput, headers, warnings };
  const custom = contentType ?? "application/x-www-form-urlencoded";
  if (contentType !== undefined) dropContentType();
  return { body: { type: "raw", contentType: "custom", customContentType: custom, text } satisfies BodyInput, headers, warnings };
}

/** The bytes curl sends for its -d, --data-… and --json pieces: joined by "&" (--json pieces are concatenated). */
export function joinData(data: DataPiece[], warnings: string[]): string {
  return data.map((d) => dataValue(d, warnings)).join(data.some((d) => d.kind === "json") ? "" : "&");
}

function dataValue(piece: DataPiece, warnings: string[]): string {
  const { kind, value } = piece;
  if (kind === "data-raw") return value;
  if (kind === "data-urlencode") {
    // curl: "content", "=content", "name=content", "name@file" or "@file".
    const eq = value.indexOf("=");
    const at = value.indexOf("@");
    if (at >= 0 && (eq < 0 || at < eq)) {
      warnings.push(`--data-urlencode ${value} reads a file, which cannot be imported; paste its content`);
      return "";
    }
    if (eq < 0) return curlEncode(value);
    const name = value.slice(0, eq);
    return name ? `${name}=${curlEncode(value.slice(eq + 1))}` : curlEncode(value.slice(eq + 1));
  }
  if (value.startsWith("@")) {
    warnings.push(`${value} reads a file, which cannot be imported; paste its content into the body`);
    return "";
  }
  return value;
}

/** Percent-encodes like curl: everything but A-Z a-z 0-9 - . _ ~. */
function curlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formField(part: { text: string; literal: boolean }, warnings: string[]) {
  const eq = part.text.indexOf("=");
  const name = eq >= 0 ? part.text.slice(0, eq) : part.text;
  const value = eq >= 0 ? part.text.slice(eq + 1) : "";
  if (part.literal || !(value.startsWith("@") || value.startsWith("<"))) return { type: "text" as const, name, value };
  const [target, ...params] = value.slice(1).split(";");
  const param = (key: string) =>
    params
      .find((p) => p.trim().toLowerCase().startsWith(`${key}=`))
      ?.split("=")
      .slice(1)
      .join("=")
      .trim()
      .replace(/^"(.*)"$/, "$1");
  if (value.startsWith("<")) {
    warnings.push(`the form field "${name}" reads its text from ${target}, which cannot be imported; type its value`);
    return { type: "text" as const, name, value: "" };
  }
  warnings.push(`the form field "${name}" uploads ${target}; attach the file before sending`);
  return {
    type: "file" as const,
    name,
    fileName: param("filename") ?? target.split(/[\\/]/).pop() ?? target,
    contentType: param("type") ?? "application/octet-stream",
    path: target,
  };
}
