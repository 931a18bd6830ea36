import { cookies } from "next/headers";
import { ConsentNotice } from "@/components/connections/consent-notice";
import { pickNotice } from "@/lib/connections/notice";
import { RequestsWorkspace } from "@/components/requests/requests-workspace";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { callbackUrl, getConnectionOptions } from "@/lib/connections";
import { getEnv } from "@/lib/config/env";
import { teamVariableNames } from "@/lib/variables";
import { describeHistoryRetention, listRecentRuns, listSavedRequests } from "@/lib/requests";

export const metadata = { title: "Requests" };

export default async function RequestsPage() {
  const ctx = await requirePageContext();
  const db = await getDb();
  const [runs, saved, variableNames] = await Promise.all([listRecentRuns(db, ctx), listSavedRequests(db, ctx), teamVariableNames(db, ctx.team.id)]);
  // The picker searches the server as you type; the page names only the connections its saved requests use.
  const connections = await getConnectionOptions(db, ctx, [...new Set(saved.flatMap((s) => (s.connectionId ? [s.connectionId] : [])))].slice(0, 500));
  return (
    <>
      <PageHeader title="Request builder" description="Build an HTTP request, apply a connection's credentials, and run it on the server." />
      <ConsentNotice notice={pickNotice((await cookies()).getAll())} />
      <RequestsWorkspace
        connections={connections}
        callbackUrl={callbackUrl()}
        runs={runs.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))}
        variableNames={[...variableNames].sort()}
        retention={describeHistoryRetention(getEnv().retention)}
        saved={saved.map((s) => ({ id: s.id, name: s.name, connectionId: s.connectionId, spec: s.spec }))}
      />
    </>
  );
}
