/**
 * Appends enabled key/value rows to a URL's query without re-encoding what is already there: some APIs
 * sign or compare the query byte for byte, and URLSearchParams would rewrite it (%20 → +, %2C → ,).
 */
export function appendQueryRows(url: string, rows: readonly { key: string; value: string; enabled?: boolean }[]): string {
  if (rows.length === 0) return url;
  const added = rows
    .filter((r) => r.enabled !== false && r.key)
    .map((r) => `${encodeURIComponent(r.key)}=${encodeURIComponent(r.value)}`)
    .join("&");
  if (!added) return url;
  const hashAt = url.indexOf("#");
  const [base, hash] = hashAt < 0 ? [url, ""] : [url.slice(0, hashAt), url.slice(hashAt)];
  const joiner = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${joiner}${added}${hash}`;
}
