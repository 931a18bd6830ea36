import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * SQL pieces the paged lists share (connections, flows): natural name order and a "contains" search.
 */

/** Natural name order ("key 2" before "key 10"): natural_sort_key (migration 0012) compared byte by byte. */
export function naturalOrder(name: AnyPgColumn): SQL {
  return sql`(natural_sort_key(${name}) collate "C")`;
}

/** `s` as literal text inside a LIKE pattern: its %, _ and \ match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An ILIKE pattern matching names that contain `q` as typed. */
export function containsPattern(q: string): string {
  return `%${escapeLike(q)}%`;
}
