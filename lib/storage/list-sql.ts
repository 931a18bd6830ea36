import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * What the paged lists share (connections, flows): natural name order, a "contains" search and the cut of a page.
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

/** One page of a list, with what its page links need. */
export interface ListPage<T> {
  items: T[];
  /** Rows matching the list's filters, on every page. */
  total: number;
  /** The page shown (a page past the end shows the last one). */
  page: number;
  pageCount: number;
  pageSize: number;
}

/**
 * The asked page of a list and its count, queried together; a page past the end is read again as the last one
 * (only then: the count decides it).
 */
export async function cutPage<R>(
  asked: number,
  pageSize: number,
  queries: { count: () => Promise<number>; rows: (page: number) => Promise<R[]> },
): Promise<Omit<ListPage<R>, "items"> & { rows: R[] }> {
  const [total, first] = await Promise.all([queries.count(), queries.rows(asked)]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(asked, pageCount);
  const rows = page === asked ? first : await queries.rows(page);
  return { rows, total, page, pageCount, pageSize };
}
