// Client-safe (toCurl in the browser uses it): no Node APIs here.
import { isPlainObject } from "@/lib/validation/plain-data";

export const MASK = "••••••";

/** Shorter values are not masked: they would hide ordinary words and numbers everywhere. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Hides a set of secrets in whatever is shown, stored or logged. A secret is found in every form it takes on
 * the wire: as written, JSON-escaped (`\"`, `\\`, `\/`, `\u00e9`, any hex case), percent-encoded (any hex
 * case, `+` for a space, each character encoded or not, so both encodeURIComponent and form encoding),
 * percent-encoded JSON escapes, and base64 inside a `Basic` credential (decoded and searched).
 *
 * Structured values are masked string by string before they are serialised (`value`), never by searching
 * their serialisation: masking JSON text could cut across its quotes and break it, and serialisers escape
 * more than one way.
 */
export interface Masker {
  /** The text with every secret, in any encoding, replaced by MASK. */
  text(value: string): string;
  /** A copy of a JSON-like value (objects, arrays, strings; keys too) with every string masked. */
  value<T>(value: T): T;
  /** Whether the text holds a secret in any encoding (Basic credentials included). */
  finds(text: string): boolean;
  /** The secrets it hides (for callers that pass them on, e.g. to a cURL formatter). */
  secrets(): string[];
}

/**
 * A masker for a set of secrets. The source may be a function: its current values are read on every use, so
 * a token learned later (a refresh) is masked from then on.
 */
export function createMasker(source: Iterable<string> | (() => Iterable<string>)): Masker {
  let compiled: Compiled | undefined;
  const current = (): Compiled => {
    const secrets = [...new Set(typeof source === "function" ? source() : source)].filter(
      (s) => typeof s === "string" && s.length >= MIN_SECRET_LENGTH,
    );
    const key = secrets.join("\u0000");
    if (compiled?.key !== key) compiled = compile(key, secrets);
    return compiled;
  };
  return {
    text: (value) => maskText(current(), value),
    finds: (value) => findsIn(current(), value),
    value: <T>(value: T): T => {
      const c = current();
      return c.pattern ? (walk(c, value) as T) : value;
    },
    secrets: () => [...current().secrets],
  };
}

type Compiled = { key: string; secrets: string[]; pattern: RegExp | null; shortest: number };

function maskText(c: Compiled, value: string): string {
  // Every encoding of a secret is at least as long as the secret.
  if (!c.pattern || value.length < c.shortest) return value;
  return maskBasicCredentials(value, (decoded) => findsIn(c, decoded)).replace(c.pattern, MASK);
}

function findsIn(c: Compiled, value: string): boolean {
  if (!c.pattern || value.length < c.shortest) return false;
  c.pattern.lastIndex = 0;
  const found = c.pattern.test(value);
  c.pattern.lastIndex = 0;
  return found || maskBasicCredentials(value, (decoded) => findsIn(c, decoded)) !== value;
}

function walk(c: Compiled, value: unknown): unknown {
  if (typeof value === "string") return maskText(c, value);
  if (Array.isArray(value)) return value.map((v) => walk(c, v));
  if (!isPlainObject(value)) return value;
  // A loop, not Object.fromEntries(Object.entries(…)): every run masks its whole result, and the pairs cost 5x the walk.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const key = maskText(c, k);
    const v = walk(c, value[k]);
    // A "__proto__" key (JSON.parse makes it an own property) stays a property, as with Object.fromEntries.
    if (key === "__proto__") Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

/** Masks nothing: for requests without a connection. */
export const NO_SECRETS: Masker = createMasker([]);

// ---------------------------------------------------------------------------------------------------------
// One regular expression for all secrets: each character of a secret becomes an alternation of every way it
// can be written, so mixed and partial encodings (a serialiser escaping only some characters) are found too.

function compile(key: string, secrets: string[]): Compiled {
  if (secrets.length === 0) return { key, secrets, pattern: null, shortest: 0 };
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return { key, secrets, pattern: new RegExp(ordered.map(secretPattern).join("|"), "g"), shortest: ordered[ordered.length - 1].length };
}

function secretPattern(secret: string): string {
  let out = "";
  for (const ch of secret) out += charPattern(ch);
  return out;
}

const charCache = new Map<string, string>();

function charPattern(ch: string): string {
  const cached = charCache.get(ch);
  if (cached) return cached;
  const alternatives = new Set<string>();
  // JSON escapes first (they are longer than the raw character: a trailing `\` must take its escape whole).
  for (const sequence of jsonEscapes(ch)) alternatives.add(escapeSequencePattern(sequence));
  alternatives.add(percentPattern(ch));
  if (ch === " ") alternatives.add("\\+");
  alternatives.add(escapeRegExp(ch));
  const pattern = `(?:${[...alternatives].join("|")})`;
  if (charCache.size < 10_000) charCache.set(ch, pattern);
  return pattern;
}

/** The ways JSON can write a character: its short escape if any, `\/`, and `\uXXXX` per UTF-16 unit. */
function jsonEscapes(ch: string): string[] {
  const out: string[] = [];
  const standard = JSON.stringify(ch).slice(1, -1);
  if (standard !== ch) out.push(standard);
  if (ch === "/") out.push("\\/");
  let unicode = "";
  for (let i = 0; i < ch.length; i++) unicode += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
  out.push(unicode);
  return [...new Set(out)];
}

/** An escape sequence, its backslash and punctuation possibly percent-encoded, its hex digits in any case. */
function escapeSequencePattern(sequence: string): string {
  let out = "";
  for (const c of sequence) {
    if (/[0-9a-f]/i.test(c)) out += /[a-f]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    else if (/[A-Za-z]/.test(c)) out += c;
    else out += `(?:${percentPattern(c)}|${escapeRegExp(c)})`;
  }
  return out;
}

/** `%XX` for each UTF-8 byte, hex in either case. */
function percentPattern(ch: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(ch)) {
    out += "%";
    for (const digit of byte.toString(16).padStart(2, "0")) out += /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit;
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

// A `Basic` credential anywhere in a text (a header, an echoed header in a JSON body, a URL-encoded form):
// its base64 may be percent-encoded or have JSON's `\/`.
const BASIC = /(basic(?:\s|%20|\+)+)((?:[A-Za-z0-9+/=_-]|%[0-9A-Fa-f]{2}|\\\/)+)/gi;

function maskBasicCredentials(text: string, finds: (value: string) => boolean): string {
  if (!/basic/i.test(text)) return text;
  return text.replace(BASIC, (whole, prefix: string, token: string) => {
    const decoded = decodeBase64(
      token.replace(/\\\//g, "/").replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    );
    return decoded && finds(decoded) ? `${prefix}${MASK}` : whole;
  });
}

function decodeBase64(text: string): string {
  try {
    // Lenient like the servers that read it: stop at the padding, ignore a dangling last character.
    let standard = text
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .replace(/[^A-Za-z0-9+/=]/g, "");
    if (standard.includes("=")) standard = standard.slice(0, standard.indexOf("="));
    if (standard.length % 4 === 1) standard = standard.slice(0, -1);
    const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
    return new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
  } catch {
    return ""; // not base64: nothing inside to mask
  }
}
