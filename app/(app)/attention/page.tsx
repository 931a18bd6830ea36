import Link from "next/link";
import { NeedsAttentionList } from "@/components/health/needs-attention-list";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { listNeedsAttention } from "@/lib/health/needs-attention";

export const metadata = { title: "Needs attention" };

export default async function NeedsAttentionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requirePageContext();
  const raw = (await searchParams).page;
  const requested = Number(Array.isArray(raw) ? raw[0] : raw);
  const page = await listNeedsAttention(await getDb(), ctx, { page: Number.isInteger(requested) && requested > 0 ? requested : 1 });
  return (
    <>
      <PageHeader
        title="Needs attention"
        description="Connections that need reauthorization or their credentials, failed their last check, or whose credential expires within 14 days, most urgent first."
      />
      <NeedsAttentionList page={page} />
      {page.pageCount > 1 && (
        <nav aria-label="Pages" className="mt-4 flex items-center gap-3 text-sm">
          {page.page > 1 && (
            <Link href={`/attention?page=${page.page - 1}`} className="text-indigo-700 hover:underline" rel="prev">
              Previous page
            </Link>
          )}
          <span className="text-zinc-600">
            Page {page.page} of {page.pageCount} ({page.total} connections)
          </span>
          {page.page < page.pageCount && (
            <Link href={`/attention?page=${page.page + 1}`} className="text-indigo-700 hover:underline" rel="next">
              Next page
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
