import { z } from "zod";
import { CONNECTION_STATUSES, CONNECTION_TYPE_LABELS, type ConnectionType, CONNECTION_TYPES } from "./schemas";

/**
 * The Connections list's controls as they travel in the URL (`?q=&status=&sort=&page=`), so a view can be
 * shared and the back button restores it. Client-safe: the page parses it and the controls build links with it.
 * A value the list does not know falls back to its default instead of failing the page (a hand-edited URL).
 */

export const CONNECTIONS_PAGE_SIZE = 50;
/** Upper bound of a picker's answer (the combobox shows the first matches; typing narrows them). */
export const CONNECTION_OPTIONS_LIMIT = 20;

export const CONNECTION_LIST_SORTS = ["name", "name_desc", "newest", "expiry"] as const;
export type ConnectionListSort = (typeof CONNECTION_LIST_SORTS)[number];
export const CONNECTION_LIST_SORT_LABELS: Record<ConnectionListSort, string> = {
  name: "Name, A to Z",
  name_desc: "Name, Z to A",
  newest: "Newest first",
  expiry: "Expiring soonest",
};

export const connectionListQuerySchema = z.object({
  q: z.string().trim().max(120).catch(""),
  status: z.enum(CONNECTION_STATUSES).optional().catch(undefined),
  sort: z.enum(CONNECTION_LIST_SORTS).catch("name"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type ConnectionListQuery = z.infer<typeof connectionListQuerySchema>;

/** The search params Next.js hands a page (a repeated key is an array: its first value counts). */
export function parseConnectionListQuery(params: Record<string, string | string[] | undefined>): ConnectionListQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return connectionListQuerySchema.parse({
    q: first(params.q) ?? "",
    status: first(params.status) || undefined,
    sort: first(params.sort) ?? "name",
    page: first(params.page) ?? 1,
  });
}

/** The list's URL for a query; defaults are left out so the plain list stays `/connections`. */
export function connectionListHref(query: ConnectionListQuery, change: Partial<ConnectionListQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.status) params.set("status", next.status);
  if (next.sort !== "name") params.set("sort", next.sort);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return search ? `/connections?${search}` : "/connections";
}

/** Types whose label (or key) contains the search words: "oauth" finds every OAuth type by type as well as by name. */
export function typesMatching(q: string): ConnectionType[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return [];
  return CONNECTION_TYPES.filter((t) => t.includes(needle) || CONNECTION_TYPE_LABELS[t].toLowerCase().includes(needle));
}

/** The pickers' search words (the route answers 400 naming `q` when they are too long). */
export const connectionOptionsQuerySchema = z.object({ q: z.string().trim().max(120, "q: at most 120 characters.") });
