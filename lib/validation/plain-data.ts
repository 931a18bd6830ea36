/**
 * Walks over JSON-like data (strings, arrays, plain objects; anything else, such as file bytes or a Date,
 * is a leaf). Client-safe: no Node imports.
 */

/** An object made by a literal, JSON.parse or zod: not a class instance, an array or bytes. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether any string in the value passes `test`, looked for without copying anything (a fast "nothing to
 * do" before a walk that copies); `keys`: the plain objects' keys are looked at too.
 */
export function someText(value: unknown, test: (text: string) => boolean, options: { keys?: boolean } = {}): boolean {
  if (typeof value === "string") return test(value);
  if (Array.isArray(value)) return value.some((item) => someText(item, test, options));
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) if ((options.keys && test(key)) || someText(value[key], test, options)) return true;
  return false;
}
