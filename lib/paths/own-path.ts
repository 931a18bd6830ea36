/**
 * The one way Plugboard reads a user-written path (`{{input.a.b}}` in flow mappings, `$.links.next` in
 * pagination) out of data: own properties only, so a path can never reach `constructor`, `__proto__` or
 * any other inherited member. Used by the browser (editor) and the server alike: no imports.
 */

export type PathKey = string | number;

export type OwnLookup = { found: true; value: unknown } | { found: false };

/** The own property `key` of an object or array; anything else (primitives, null) has none. */
export function readOwnProperty(container: unknown, key: PathKey): OwnLookup {
  if (container === null || typeof container !== "object") return { found: false };
  if (!Object.hasOwn(container, key)) return { found: false };
  return { found: true, value: (container as Record<PathKey, unknown>)[key] };
}

/** The value at `path` below `root` following own properties, or undefined when a step is missing. */
export function readOwnPath(root: unknown, path: readonly PathKey[]): unknown {
  let current = root;
  for (const key of path) {
    const next = readOwnProperty(current, key);
    if (!next.found) return undefined;
    current = next.value;
  }
  return current;
}
