import { z } from "zod";

/**
 * The building blocks of every input schema (forms, server actions, REST API, routes), so that each text
 * field has a length that fits what it holds and none accepts what Postgres or HTTP cannot carry:
 * NUL anywhere (Postgres text/jsonb cannot store it), CR/LF in credentials and headers (they would
 * split a header), and header values outside RFC 9110's field-value characters. Client-safe: no Node imports.
 */

export const LIMITS = {
  /** Names of things: connections, flows, requests, slots. */
  name: 120,
  /** One-line settings: parameter names, client ids, content types, schemes. */
  short: 200,
  /** Lists typed in a box: scopes, allowed domains, key=value lines. */
  list: 4000,
  url: 2048,
  secret: 8192,
  headerValue: 8192,
  /** A query parameter's value (servers refuse URLs much longer than this). */
  queryValue: 8192,
  /** Free text: descriptions, stop expressions. */
  long: 4000,
  /** A certificate in PEM form. */
  pem: 64 * 1024,
  /** JSON typed by a user: flow inputs and sample inputs. */
  json: 256 * 1024,
  /** A request body or form value: typed in the builder, or mapped from an earlier flow step at run time. */
  body: 25 * 1024 * 1024,
} as const;

export const NUL_MESSAGE = "Remove the NUL character (\\0): it cannot be stored or sent.";
const LINE_BREAK_MESSAGE = "Remove line breaks: this value must be one line.";

// RFC 9110 §5.6.2 token: the grammar of a header name (what node:http's validateHeaderName checks).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5 field-value characters: HTAB, SP, VCHAR and obs-text, the check Node and undici apply
// when sending, so a bad value is a field error at save time rather than a network error at send time.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const noNul = (v: string) => !v.includes("\0");
const oneLine = (v: string) => !/[\r\n]/.test(v);

/** Text of at most `max` characters, without NUL. */
export function text(max: number) {
  return z.string().max(max, `Use at most ${max} characters.`).refine(noNul, NUL_MESSAGE);
}

/** One line of text (no CR/LF) of at most `max` characters, without NUL. */
export function line(max: number = LIMITS.short) {
  return text(max).refine(oneLine, LINE_BREAK_MESSAGE);
}

/** A credential (API key, password, client secret): required, one line, no NUL, because it ends up in a header or a form. */
export function secretText(what: string, max: number = LIMITS.secret) {
  return z
    .string()
    .min(1, `Enter ${what}.`)
    .max(max, `Use at most ${max} characters.`)
    .refine((v) => noNul(v) && oneLine(v), "Remove line breaks and NUL characters from this value.");
}

/** A header name: an RFC 9110 token. */
export function headerName(message = "Header names may use only letters, digits and !#$%&'*+-.^_`|~") {
  return text(LIMITS.short)
    .trim()
    .refine((v) => TOKEN.test(v), message);
}

export function isHeaderName(value: string): boolean {
  return TOKEN.test(value);
}

/** A header value: RFC 9110 field-value characters only (no CR, LF, NUL or other control characters). */
export function headerValue(max: number = LIMITS.headerValue) {
  return text(max).refine((v) => FIELD_VALUE.test(v), "Header values cannot contain line breaks or control characters.");
}

export function isHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value);
}

/**
 * The path of the first string (value or key) holding a NUL, or null. JSON typed by a user can carry
 * `\u0000` inside a value, which only shows once parsed; route and action edges run this on what they
 * receive, so no NUL reaches a schema's transforms or the database.
 */
export function findNul(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === "string") return value.includes("\0") ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findNul(v, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\0")) return [...path, k];
      const found = findNul(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A whole number from a form, a query string or JSON: a number, or a string of digits. Never coerced
 * from anything else (`z.coerce.number()` turns `true` into 1 and "" into 0).
 */
export function wholeNumber(message: string) {
  return z
    .union(
      [
        z.number(),
        z
          .string()
          .trim()
          .regex(/^-?\d+$/)
          .transform(Number),
      ],
      message,
    )
    .pipe(z.number().int("Use a whole number."));
}
