import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * SQL pieces the paged lists share (connections, flows): natural name order and a "contains" search.
 */

/**
 * Natural name order ("key 2" before "key 10"): a table's name_sort_key (natural_sort_key of the name, kept by
 * Postgres, migrations 0012 and 0031) compared byte by byte, as its (team_id, name_sort_key, id) index is built.
 */
export function naturalOrder(nameSortKey: AnyPgColumn): SQL {
  return sql`(${nameSortKey} collate "C")`;
}

/** `s` as literal text inside a LIKE pattern: its %, _ and \ match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An ILIKE pattern matching names that contain `q` as typed. */
export function containsPattern(q: string): string {
  return `%${escapeLike(q)}%`;
}
