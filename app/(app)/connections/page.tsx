import { cookies } from "next/headers";
import { ConnectionListFilters, ConnectionPagination } from "@/components/connections/connection-list-controls";
import { ConnectionsView } from "@/components/connections/connections-view";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { callbackUrl, listConnectionPage } from "@/lib/connections";
import { parseConnectionListQuery } from "@/lib/connections/list-query";
import { pickNotice } from "@/lib/connections/notice";
import { toConnectionRow } from "@/components/connections/connection-row";

export const metadata = { title: "Connections" };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requirePageContext();
  const query = parseConnectionListQuery(await searchParams);
  const [list, jar] = await Promise.all([listConnectionPage(await getDb(), ctx, query), cookies()]);
  const notice = pickNotice(jar.getAll());
  const filtered = query.q !== "" || query.status !== undefined;
  return (
    <>
      <PageHeader
        title="Connections"
        description="Credentials for third-party services. Everyone in the team can use them in requests and flows; nobody can read a stored secret again."
      />
      <ConnectionsView
        connections={list.items.map((c) => toConnectionRow(c))}
        filters={<ConnectionListFilters query={query} />}
        pagination={<ConnectionPagination query={query} page={list.page} pageCount={list.pageCount} pageSize={list.pageSize} total={list.total} />}
        emptyFor={filtered ? { q: query.q, status: query.status } : null}
        callbackUrl={callbackUrl()}
        notice={notice}
      />
    </>
  );
}
