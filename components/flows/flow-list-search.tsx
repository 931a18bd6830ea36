import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type FlowListQuery, flowListHref } from "@/lib/flows/list-query";

/**
 * The Flows list's search: a plain GET form, so the URL carries the view and it works before any script
 * has loaded. Searching starts again at page 1 (the form has no page field).
 */
export function FlowListSearch({ query }: { query: FlowListQuery }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: role="search" on the form is the search landmark every browser maps.
    <form method="get" action="/flows" role="search" aria-label="Flows" className="mb-4 flex flex-wrap items-end gap-2">
      <label className="w-full text-sm sm:w-64">
        <span className="mb-1 block font-medium">Search by name</span>
        <Input name="q" type="search" defaultValue={query.q} maxLength={120} />
      </label>
      <Button type="submit" variant="secondary">
        Search
      </Button>
      {query.q && (
        <Link href={flowListHref({ ...query, q: "", page: 1 })} className="self-center text-sm text-indigo-700 hover:underline">
          Clear search
        </Link>
      )}
    </form>
  );
}
