import "server-only";
import { HttpRequestError } from "./errors";
import { appendQueryRows } from "./query-string";
import type { BuiltBody } from "./request-body";
import type { RequestSpec } from "./spec";

/**
 * The URL to request: absolute as given, or the connection's base URL joined with the relative path (joined,
 * not URL-resolved, so "users" against ".../v2" gives ".../v2/users" as people expect). Query rows are
 * appended without re-encoding the query already in the URL: some APIs sign or compare it byte for byte.
 */
export function resolveUrl(spec: RequestSpec, baseUrl?: string): URL {
  let text: string;
  if (/^https?:\/\//i.test(spec.url)) text = spec.url;
  else if (baseUrl) text = `${baseUrl.replace(/\/+$/, "")}/${spec.url.replace(/^\/+/, "")}`;
  else {
    throw new HttpRequestError("invalid_request", `"${spec.url}" is a relative URL; use an absolute http(s) URL or a connection with a base URL`);
  }
  let url: URL;
  try {
    url = new URL(appendQueryRows(text, spec.query));
  } catch {
    throw new HttpRequestError("invalid_request", `"${text}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HttpRequestError("invalid_request", `only http and https URLs can be requested, not ${url.protocol}`);
  }
  return url;
}

/**
 * The user's headers plus defaults they did not set themselves. No Accept header unless the user adds one:
 * the response type only says how to read the answer, and some APIs change (or refuse) what they send
 * when they see an Accept they did not expect.
 */
export function buildHeaders(spec: RequestSpec, body: BuiltBody | undefined): Headers {
  const headers = new Headers();
  for (const h of spec.headers) if (h.enabled && h.key) headers.append(h.key, h.value);
  if (body && !headers.has("content-type")) headers.set("content-type", body.contentType);
  if (!headers.has("user-agent")) headers.set("user-agent", "Plugboard");
  if (spec.requestCompressed && !headers.has("accept-encoding")) headers.set("accept-encoding", "gzip, deflate, br");
  return headers;
}
