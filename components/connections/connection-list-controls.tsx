import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { CONNECTION_LIST_SORT_LABELS, CONNECTION_LIST_SORTS, type ConnectionListQuery, connectionListHref } from "@/lib/connections/list-query";
import { CONNECTION_STATUS_LABELS, CONNECTION_STATUSES } from "@/lib/connections/status";

/**
 * The Connections list's search, status filter and sort: a plain GET form, so the URL carries the view
 * (shareable, the back button restores it) and it works before any script has loaded. Applying starts
 * again at page 1 (the form has no page field).
 */
export function ConnectionListFilters({ query }: { query: ConnectionListQuery }) {
  const filtered = query.q !== "" || query.status !== undefined;
  return (
    // biome-ignore lint/a11y/useSemanticElements: role="search" on the form is the search landmark every browser maps.
    <form method="get" action="/connections" role="search" aria-label="Connections" className="flex flex-wrap items-end gap-2">
      <label className="w-full text-sm sm:w-64">
        <span className="mb-1 block font-medium">Search by name or type</span>
        <Input name="q" type="search" defaultValue={query.q} maxLength={120} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Status</span>
        <Select name="status" defaultValue={query.status ?? ""} className="w-48">
          <option value="">Any status</option>
          {CONNECTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {CONNECTION_STATUS_LABELS[s]}
            </option>
          ))}
        </Select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Sort</span>
        <Select name="sort" defaultValue={query.sort} className="w-40">
          {CONNECTION_LIST_SORTS.map((s) => (
            <option key={s} value={s}>
              {CONNECTION_LIST_SORT_LABELS[s]}
            </option>
          ))}
        </Select>
      </label>
      <Button type="submit" variant="secondary">
        Search
      </Button>
      {filtered && (
        <Link
          href={connectionListHref({ ...query, q: "", status: undefined, page: 1 })}
          className="self-center text-sm text-indigo-700 hover:underline"
        >
          Clear filters
        </Link>
      )}
    </form>
  );
}

/** Which pages are linked: the first, the last and two either side of the current one; gaps are "…". */
export function pageWindow(page: number, pageCount: number): Array<number | "gap"> {
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pageCount])]
    .filter((p) => p >= 1 && p <= pageCount)
    .sort((a, b) => a - b);
  const out: Array<number | "gap"> = [];
  for (const p of shown) {
    const last = out.at(-1);
    if (typeof last === "number" && p > last + 1) out.push("gap");
    out.push(p);
  }
  return out;
}

export function ConnectionPagination({
  query,
  page,
  pageCount,
  pageSize,
  total,
}: {
  query: ConnectionListQuery;
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
}) {
  if (total === 0) return null;
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const link = "inline-flex h-9 min-w-9 items-center justify-center rounded-md px-2 text-sm hover:bg-zinc-100";
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600" data-testid="connections-range">
        {from.toLocaleString("en")}–{to.toLocaleString("en")} of {total.toLocaleString("en")}
      </p>
      {pageCount > 1 && (
        <nav aria-label="Pages">
          <ul className="flex flex-wrap items-center gap-1">
            <li>
              {page > 1 ? (
                <Link href={connectionListHref(query, { page: page - 1 })} className={`${link} text-indigo-700`} rel="prev">
                  Previous
                </Link>
              ) : (
                <span className={`${link} text-zinc-400`}>Previous</span>
              )}
            </li>
            {pageWindow(page, pageCount).map((p, i) =>
              p === "gap" ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: at most two gaps, each fixed by its neighbours.
                <li key={`gap-${i}`} aria-hidden="true" className="px-1 text-zinc-500">
                  …
                </li>
              ) : (
                <li key={p}>
                  <Link
                    href={connectionListHref(query, { page: p })}
                    aria-label={`Page ${p}`}
                    aria-current={p === page ? "page" : undefined}
                    className={p === page ? `${link} bg-indigo-600 font-medium text-white hover:bg-indigo-600` : `${link} text-indigo-700`}
                  >
                    {p}
                  </Link>
                </li>
              ),
            )}
            <li>
              {page < pageCount ? (
                <Link href={connectionListHref(query, { page: page + 1 })} className={`${link} text-indigo-700`} rel="next">
                  Next
                </Link>
              ) : (
                <span className={`${link} text-zinc-400`}>Next</span>
              )}
            </li>
          </ul>
        </nav>
      )}
    </div>
  );
}
