import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { ListPagination } from "@/components/ui/list-pagination";
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

export function ConnectionPagination({
  query,
  ...counts
}: {
  query: ConnectionListQuery;
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
}) {
  return <ListPagination {...counts} href={(page) => connectionListHref(query, { page })} rangeTestId="connections-range" />;
}
