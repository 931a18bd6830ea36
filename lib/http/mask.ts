// Client-safe (toCurl in the browser uses it): no Node APIs here.

export const MASK = "••••••";

/**
 * Replaces every secret in a text, also in the forms it takes inside URLs and form bodies (percent-encoded,
 * + for spaces) so a secret put into a query parameter is masked too.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const variants = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    variants.add(s);
    variants.add(encodeURIComponent(s));
    variants.add(new URLSearchParams({ s }).toString().slice(2));
  }
  // Longest first, so a secret that contains another is masked whole.
  let out = text;
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
  return out;
}

/** A header value with secrets masked; Basic credentials are decoded to look inside them. */
export function maskHeaderValue(name: string, value: string, secrets: readonly string[]): string {
  const basic = /^basic\s+(\S+)$/i.exec(value);
  if (basic && /authorization$/i.test(name)) {
    const decoded = decodeBase64(basic[1]);
    if (maskSecrets(decoded, secrets) !== decoded) return `Basic ${MASK}`;
  }
  return maskSecrets(value, secrets);
}

function decodeBase64(text: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return ""; // not base64: nothing inside to mask
  }
}
