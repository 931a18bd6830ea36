import { cookies } from "next/headers";
import { ConnectionsView } from "@/components/connections/connections-view";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { callbackUrl, listConnections } from "@/lib/connections";
import { pickNotice } from "@/lib/connections/notice";
import { toConnectionRow } from "@/components/connections/connection-row";

export const metadata = { title: "Connections" };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const ctx = await requirePageContext();
  const { q } = await searchParams;
  const [list, jar] = await Promise.all([listConnections(await getDb(), ctx, { q }), cookies()]);
  const notice = pickNotice(jar.getAll());
  return (
    <>
      <PageHeader
        title="Connections"
        description="Credentials for third-party services. Everyone in the team can use them in requests and flows; nobody can read a stored secret again."
      />
      <ConnectionsView connections={list.map(toConnectionRow)} query={q ?? ""} callbackUrl={callbackUrl()} notice={notice} />
    </>
  );
}
