import { readOwnProperty } from "@/lib/paths/own-path";

/**
 * Reads a value from parsed JSON by a simple path: "links.next", "$.next", "data.items[0].id",
 * "$['odd key']". Only own properties are read (the shared reader of lib/paths), so paths cannot reach
 * prototypes.
 */
export class JsonPathError extends Error {}

export type JsonPath = (string | number)[];

export function parseJsonPath(path: string): JsonPath {
  const text = path.trim();
  const segments: JsonPath = [];
  let i = text.startsWith("$") ? 1 : 0;
  let expectName = i === 0; // a leading bare name ("links.next") needs no dot
  while (i < text.length) {
    const c = text[i];
    if (c === "." || expectName) {
      if (c === ".") i++;
      expectName = false;
      const m = /^[^.[\]\s=!<>'"]+/.exec(text.slice(i)); // other names need ['…']
      if (!m) throw new JsonPathError(`"${path}" has an empty name at position ${i + 1}`);
      segments.push(m[0]);
      i += m[0].length;
    } else if (c === "[") {
      const m = /^\[\s*(?:(\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(text.slice(i));
      if (!m) throw new JsonPathError(`"${path}" has an invalid [...] at position ${i + 1}`);
      segments.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3]).replace(/\\(.)/g, "$1"));
      i += m[0].length;
    } else {
      throw new JsonPathError(`"${path}" is not a path like data.items[0].id (unexpected "${c}")`);
    }
  }
  return segments;
}

export function readJsonPath(value: unknown, path: string | JsonPath): unknown {
  const segments = typeof path === "string" ? parseJsonPath(path) : path;
  let cur: unknown = value;
  for (const seg of segments) {
    if (typeof cur === "string" && seg === "length") {
      cur = cur.length;
      continue;
    }
    const next = readOwnProperty(cur, seg);
    if (!next.found) return undefined;
    cur = next.value;
  }
  return cur;
}
