import fc from "fast-check";

/**
 * The test oracle for masking: every form a secret takes on the wire, computed independently of the masker
 * (with the encoders that produce them), and where in a text any of them occurs.
 */

/** Characters that break naive masking: quotes, backslashes, percent and form syntax, spaces, non-ASCII. */
const HOSTILE = ['"', "'", "\\", "/", "%", "+", "=", ":", " ", "&", "?", "#", "<", ">", "\n", "\t", "é", "ß", "€", "😀", "中", "\u2028"];
const PLAIN = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"];

/** Secrets of 8 to 24 characters, each from the hostile alphabet about half of the time. */
export function hostileSecret(): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom(...PLAIN)), { minLength: 8, maxLength: 24 })
    .map((chars) => chars.join(""))
    .filter((s) => s.trim().length >= 4);
}

/** Every encoding of a secret that must never appear. */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [
    ...new Set([
      secret,
      json,
      json.replaceAll("/", "\\/"),
      asciiJson,
      asciiJson.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`),
      percent,
      lowerHex(percent),
      form,
      lowerHex(form),
      encodeURIComponent(json),
      Buffer.from(secret, "utf8").toString("base64"),
    ]),
  ];
}

/** The forms of `secret` found in `text`, including inside `Basic` credentials (decoded). */
export function findLeaks(text: string, secret: string): string[] {
  return formsIn(text, secretForms(secret), basicCredentialsIn(text));
}

function formsIn(text: string, forms: string[], basics: Array<{ token: string; decoded: string }>): string[] {
  const found = forms.filter((f) => text.includes(f));
  for (const { token, decoded } of basics) if (forms.some((f) => decoded.includes(f))) found.push(`Basic ${token}`);
  return found;
}

/** Every `Basic` credential in a text, decoded. */
function basicCredentialsIn(text: string): Array<{ token: string; decoded: string }> {
  return [...text.matchAll(/basic(?:\s|%20|\+)+((?:[A-Za-z0-9+/=_-]|%[0-9A-Fa-f]{2}|\\\/)+)/gi)].map(([, token]) => {
    const b64 = token.replace(/\\\//g, "/").replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return { token, decoded: Buffer.from(b64, "base64").toString("utf8") };
  });
}

/**
 * Every leak of any of the secrets in any string inside the values (walked, keys included: searching their
 * JSON would escape the strings once more and hide the very encodings looked for).
 */
export function leaksIn(values: unknown[], secrets: string[]): Array<{ at: number; secret: string; forms: string[]; text: string }> {
  const out: Array<{ at: number; secret: string; forms: string[]; text: string }> = [];
  // Each secret's forms and each text's Basic credentials once: cases with many long secrets (PEM lines) stay fast.
  const formsOf = secrets.map((secret) => ({ secret, forms: secretForms(secret) }));
  values.forEach((value, at) => {
    for (const text of stringsIn(value)) {
      const basics = basicCredentialsIn(text);
      for (const { secret, forms } of formsOf) {
        const found = formsIn(text, forms, basics);
        if (found.length) out.push({ at, secret, forms: found, text: text.slice(0, 400) });
      }
    }
  });
  return out;
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString("utf8"));
  else if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}
