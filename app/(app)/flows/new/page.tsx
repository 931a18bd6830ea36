import { cookies } from "next/headers";
import { ConsentNotice } from "@/components/connections/consent-notice";
import { pickNotice } from "@/lib/connections/notice";
import { FlowEditor } from "@/components/flows/flow-editor";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { callbackUrl } from "@/lib/connections";
import { runSuggestions } from "@/lib/flows/suggestions";
import { listSavedRequests } from "@/lib/requests";
import { teamVariableNames } from "@/lib/variables";

export const metadata = { title: "New flow" };

export default async function NewFlowPage() {
  const ctx = await requirePageContext();
  const db = await getDb();
  const [saved, variableNames] = await Promise.all([listSavedRequests(db, ctx), teamVariableNames(db, ctx.team.id)]);
  return (
    <>
      <PageHeader title="New flow" description="Build the steps, then create the flow to run it, schedule it or give it a webhook." />
      <ConsentNotice notice={pickNotice((await cookies()).getAll())} />
      <FlowEditor
        flowId={null}
        initial={null}
        connections={[]}
        callbackUrl={callbackUrl()}
        saved={saved.map((s) => ({ id: s.id, name: s.name, connectionId: s.connectionId, spec: s.spec }))}
        suggestions={runSuggestions(null, variableNames)}
      />
    </>
  );
}
