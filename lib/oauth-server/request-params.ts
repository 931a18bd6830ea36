import { getEnv } from "@/lib/config/env";
import { BodyTooLargeError, type InboundRequest } from "@/lib/inbound/read-body";
import { echoInput, OAuthError } from "./errors";

/** What the query string may carry: published guides send these there, and they are not secret. */
const QUERY_PARAMS = new Set(["grant_type", "scope"]);
/** Read from the body only. RFC 6749 §2.3.1: client credentials MUST NOT be in the request URI. */
const BODY_ONLY_PARAMS = new Set([
  "client_id",
  "client_secret",
  "client_assertion",
  "client_assertion_type",
  "code",
  "code_verifier",
  "redirect_uri",
  "refresh_token",
  "token",
  "token_type_hint",
]);

// Token, revocation and introspection parameters are a few hundred bytes; client_secret_post puts the
// credentials in the body, so it is read before authentication and must stay small.
const OAUTH_BODY_MAX_BYTES = 64 * 1024;

/**
 * The parameters of a token, revocation or introspection request. Form bodies are the standard; multipart
 * bodies are accepted too, and `grant_type` and `scope` in the query string, because published guides send
 * them that way. Client authentication and the grant's secrets stay in the header or the body: sent in the
 * query they are refused by name; other query parameters are ignored (RFC 6749 §3.2: unrecognized).
 * RFC 6749 §3.2: a parameter sent twice is an invalid request.
 */
export async function readOAuthParams(request: InboundRequest): Promise<Map<string, string>> {
  const entries: [string, string][] = [];
  for (const [key, value] of new URL(request.url).searchParams.entries()) {
    if (BODY_ONLY_PARAMS.has(key)) {
      const why = key.startsWith("client_")
        ? "client authentication goes in the Authorization header or the form body (RFC 6749 §2.3.1)"
        : "send it in the form body";
      throw new OAuthError("invalid_request", `Parameter ${key} is not accepted in the query string: ${why}.`);
    }
    if (QUERY_PARAMS.has(key)) entries.push([key, value]);
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const limit = Math.min(OAUTH_BODY_MAX_BYTES, getEnv().maxBodyBytes);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await request.readBody(limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new OAuthError("invalid_request", error.message, 413);
    throw error;
  }
  const body = new TextDecoder().decode(bytes);
  if (type === "application/x-www-form-urlencoded") {
    entries.push(...new URLSearchParams(body).entries());
  } else if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
    } catch {
      throw new OAuthError("invalid_request", "The multipart body could not be read.");
    }
    for (const [key, value] of form.entries()) {
      if (typeof value !== "string") throw new OAuthError("invalid_request", `Parameter ${echoInput(key)} must be a text field, not a file.`);
      entries.push([key, value]);
    }
  } else if (body.trim() !== "") {
    throw new OAuthError("invalid_request", "Send parameters as application/x-www-form-urlencoded (or multipart/form-data).");
  }
  const params = new Map<string, string>();
  for (const [key, value] of entries) {
    if (params.has(key)) throw new OAuthError("invalid_request", `Parameter ${echoInput(key)} was sent more than once.`);
    // RFC 6749 §3.1: parameters sent without a value are treated as omitted.
    if (value !== "") params.set(key, value);
  }
  return params;
}
