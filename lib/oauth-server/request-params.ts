import { OAuthError } from "./errors";

/**
 * The parameters of a token, revocation or introspection request. Form bodies are the standard; multipart
 * bodies and query-string parameters are accepted too, because published guides send them that way.
 * RFC 6749 §3.2: a parameter sent twice is an invalid request.
 */
export async function readOAuthParams(request: Request): Promise<Map<string, string>> {
  const entries: [string, string][] = [...new URL(request.url).searchParams.entries()];
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const body = await request.text();
  if (type === "application/x-www-form-urlencoded") {
    entries.push(...new URLSearchParams(body).entries());
  } else if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": request.headers.get("content-type")! } }).formData();
    } catch {
      throw new OAuthError("invalid_request", "The multipart body could not be read.");
    }
    for (const [key, value] of form.entries()) {
      if (typeof value !== "string") throw new OAuthError("invalid_request", `Parameter ${key} must be a text field, not a file.`);
      entries.push([key, value]);
    }
  } else if (body.trim() !== "") {
    throw new OAuthError("invalid_request", "Send parameters as application/x-www-form-urlencoded (or multipart/form-data).");
  }
  const params = new Map<string, string>();
  for (const [key, value] of entries) {
    if (params.has(key)) throw new OAuthError("invalid_request", `Parameter ${key} was sent more than once.`);
    // RFC 6749 §3.1: parameters sent without a value are treated as omitted.
    if (value !== "") params.set(key, value);
  }
  return params;
}
