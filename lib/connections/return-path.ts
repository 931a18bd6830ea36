/**
 * Where a consent started from ("New connection…" in the request builder or a flow step), so the OAuth
 * callback can send the browser back there. Only a same-origin relative path is accepted: the value is
 * stored server-side with the OAuth state and never read from the callback's query, and anything that a
 * browser could resolve to another host (`//host`, `/\host`, a scheme, control characters) is refused,
 * so the callback cannot become an open redirect. Zod-free (the pages read its parameter names); the schema
 * is returnPathSchema in ./schemas.ts.
 */
export const RETURN_PATH_MAX = 512;

/** A placeholder origin: a path that resolves to any other origin is not a path. */
const PROBE_ORIGIN = "https://plugboard.invalid";

export function isSafeReturnPath(value: string): boolean {
  if (value.length === 0 || value.length > RETURN_PATH_MAX) return false;
  if (!value.startsWith("/") || value.startsWith("//")) return false;
  // Browsers read "\" as "/" in special URLs, and strip tabs and newlines before resolving.
  if (value.includes("\\") || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  if (!URL.canParse(value, PROBE_ORIGIN)) return false;
  const resolved = new URL(value, PROBE_ORIGIN);
  return resolved.origin === PROBE_ORIGIN && !resolved.username && !resolved.password;
}

/**
 * The URL the callback answers with: the stored path on this site, told which connection was created
 * (`connection`) or that the consent failed (`consent=failed`, the message is in the notice cookie).
 */
export function returnUrl(publicUrl: string, path: string, outcome: { ok: true; connectionId: string } | { ok: false }): URL {
  const url = new URL(isSafeReturnPath(path) ? path : "/connections", publicUrl);
  url.searchParams.delete(RETURN_PARAM_CONNECTION);
  url.searchParams.delete(RETURN_PARAM_CONSENT);
  if (outcome.ok) url.searchParams.set(RETURN_PARAM_CONNECTION, outcome.connectionId);
  else url.searchParams.set(RETURN_PARAM_CONSENT, "failed");
  return url;
}

export const RETURN_PARAM_CONNECTION = "connection";
export const RETURN_PARAM_CONSENT = "consent";
