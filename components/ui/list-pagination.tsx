import Link from "next/link";

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

/**
 * A paged list's "41–50 of 1,000" and its page links (plain links: the URL carries the page, so it works
 * before any script loads and the back button returns to it). Nothing when the list is empty.
 */
export function ListPagination({
  page,
  pageCount,
  pageSize,
  total,
  href,
  rangeTestId,
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  /** The list's URL showing page `p`, with the rest of its view (search, filters) kept. */
  href: (p: number) => string;
  rangeTestId?: string;
}) {
  if (total === 0) return null;
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const link = "inline-flex h-9 min-w-9 items-center justify-center rounded-md px-2 text-sm hover:bg-zinc-100";
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600" data-testid={rangeTestId}>
        {from.toLocaleString("en")}–{to.toLocaleString("en")} of {total.toLocaleString("en")}
      </p>
      {pageCount > 1 && (
        <nav aria-label="Pages">
          <ul className="flex flex-wrap items-center gap-1">
            <li>
              {page > 1 ? (
                <Link href={href(page - 1)} className={`${link} text-indigo-700`} rel="prev">
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
                    href={href(p)}
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
                <Link href={href(page + 1)} className={`${link} text-indigo-700`} rel="next">
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
