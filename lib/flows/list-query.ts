import { z } from "zod";

/**
 * The Flows list's search and page as they travel in the URL (`?q=&page=`): a view can be shared and the
 * back button restores it. A value the list does not know falls back to its default (a hand-edited URL).
 */

export const FLOWS_PAGE_SIZE = 50;

export const flowListQuerySchema = z.object({
  q: z.string().trim().max(120).catch(""),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type FlowListQuery = z.infer<typeof flowListQuerySchema>;

/** The search params Next.js hands a page (a repeated key is an array: its first value counts). */
export function parseFlowListQuery(params: Record<string, string | string[] | undefined>): FlowListQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return flowListQuerySchema.parse({ q: first(params.q) ?? "", page: first(params.page) ?? 1 });
}

/** The list's URL for a query; defaults are left out so the plain list stays `/flows`. */
export function flowListHref(query: FlowListQuery, change: Partial<FlowListQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return search ? `/flows?${search}` : "/flows";
}
