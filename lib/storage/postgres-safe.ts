import { isPlainObject, someText } from "@/lib/validation/plain-data";

/**
 * Postgres `text` and `jsonb` cannot hold U+0000, and a remote server's body or headers (or what a user
 * sent) may contain it. Every row that records something from outside passes through here right before
 * the insert, so the run is recorded instead of failing after its request was sent. The character is
 * stored as U+2400 (␀, the symbol for NUL), so pages show where it was.
 */
export const STORED_NUL = "\u2400";

/** The value with every NUL replaced. Copied only when it holds one: rows are cleaned on every run, and almost none has a NUL. */
export function postgresSafe<T>(value: T): T {
  if (!someText(value, (text) => text.includes("\0"), { keys: true })) return value;
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\0") ? value.replaceAll("\0", STORED_NUL) : value;
  if (Array.isArray(value)) return value.map(clean);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [clean(key) as string, clean(v)]));
  }
  return value; // numbers, booleans, null, Date, bytes: nothing to replace
}
