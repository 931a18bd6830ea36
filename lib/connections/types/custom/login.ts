import type { RequestSpecInput } from "@/lib/http/spec";
import type { KeyValueRow } from "../descriptor";

/**
 * The login step's request in the request builder's own shape (lib/http/spec.ts), built from the form's
 * fields with each text passed through `fill` (the secrets at run time, stand-ins when the form is checked).
 * Client-safe.
 */

export const LOGIN_BODY_TYPES = ["none", "json", "urlencoded"] as const;

export interface LoginFields {
  loginMethod: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  loginUrl: string;
  loginHeaders: KeyValueRow[];
  loginBodyType: (typeof LOGIN_BODY_TYPES)[number];
  loginBody: string;
  loginFields: KeyValueRow[];
}

/** Fills one text; `url` says it goes into the URL (values are then percent-encoded). */
export type Fill = (text: string, where: "url" | "text") => string;

export function loginRequestSpec(c: LoginFields, fill: Fill): RequestSpecInput {
  return {
    method: c.loginMethod,
    url: fill(c.loginUrl, "url"),
    headers: c.loginHeaders.map((h) => ({ key: h.name, value: fill(h.value, "text") })),
    body:
      c.loginBodyType === "json"
        ? { type: "raw", contentType: "json", text: JSON.stringify(fillJsonStrings(JSON.parse(c.loginBody), fill)) }
        : c.loginBodyType === "urlencoded"
          ? { type: "urlencoded", fields: c.loginFields.map((f) => ({ key: f.name, value: fill(f.value, "text") })) }
          : { type: "none" },
    responseType: "json",
    timeoutSeconds: 30,
  };
}

/**
 * Fills the string values of parsed JSON (never its text: a secret holding a quote stays one string).
 * Only own enumerable keys are walked; JSON.parse makes "__proto__" an own key, kept as data.
 */
export function fillJsonStrings(value: unknown, fill: Fill): unknown {
  if (typeof value === "string") return fill(value, "text");
  if (Array.isArray(value)) return value.map((v) => fillJsonStrings(v, fill));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: fillJsonStrings(v, fill), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Every string value of parsed JSON with its path, for checking placeholders. */
export function jsonStrings(value: unknown, path: string[] = []): Array<{ path: string; text: string }> {
  if (typeof value === "string") return [{ path: path.join("."), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonStrings(v, [...path, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => jsonStrings(v, [...path, k]));
  return [];
}
