import { cookies } from "next/headers";
import { ConsentNotice } from "@/components/connections/consent-notice";
import { pickNotice } from "@/lib/connections/notice";
import Link from "next/link";
import { DeleteFlow } from "@/components/flows/delete-flow";
import { FlowEditor } from "@/components/flows/flow-editor";
import { RunNow } from "@/components/flows/run-now";
import { formatDuration, RunStatus } from "@/components/flows/run-status";
import { WebhookPanel } from "@/components/flows/webhook-panel";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { orNotFound, requirePageContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { callbackUrl, getConnectionOptions } from "@/lib/connections";
import { lastRunData, listFlowRuns, loadFlow, toFormValues } from "@/lib/flows";
import { runSuggestions } from "@/lib/flows/suggestions";
import { teamVariableNames } from "@/lib/variables";
import { listSavedRequests } from "@/lib/requests";
import { LocalTime } from "@/components/ui/local-time";

export const metadata = { title: "Flow" };

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const { id } = await params;
  const db = await getDb();
  const flow = await orNotFound(loadFlow(db, ctx, id));
  const [connections, saved, runs, last, variableNames] = await Promise.all([
    // The pickers search the server as you type; the page names only the connections this flow uses.
    getConnectionOptions(db, ctx, flow.connectionIds.slice(0, 500)),
    listSavedRequests(db, ctx),
    listFlowRuns(db, ctx, id),
    lastRunData(db, ctx, id),
    teamVariableNames(db, ctx.team.id),
  ]);
  const values = toFormValues(flow);
  return (
    <>
      <PageHeader
        title={flow.name}
        description={flow.description || undefined}
        actions={
          <div className="flex items-start gap-3">
            <Link
              href={`/flows/${id}/runs`}
              className="inline-flex h-8 items-center rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium hover:bg-zinc-50"
            >
              All runs
            </Link>
            <DeleteFlow flowId={id} name={flow.name} />
          </div>
        }
      />
      <ConsentNotice notice={pickNotice((await cookies()).getAll())} />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <FlowEditor
          flowId={id}
          initial={values}
          connections={connections}
          callbackUrl={callbackUrl()}
          saved={saved.map((s) => ({ id: s.id, name: s.name, connectionId: s.connectionId, spec: s.spec }))}
          suggestions={runSuggestions(last, variableNames)}
        />
        <aside className="space-y-6">
          <RunNow
            flowId={id}
            sampleInput={values.sampleInput ?? "{}"}
            slots={(values.slots ?? []).map((s) => ({ name: s.name, defaultConnectionId: s.defaultConnectionId ?? null }))}
            connections={connections}
          />
          <WebhookPanel
            flowId={id}
            hookUrl={`${getEnv().publicUrl}/hooks/flows/${id}`}
            enabled={flow.webhookTokenHash !== null}
            waits={flow.webhookWaitForResult}
          />
          <section className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4" aria-label="Recent runs">
            <h2 className="text-lg font-semibold">Recent runs</h2>
            {runs.length === 0 ? (
              <p className="text-sm text-zinc-500">No runs yet.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {runs.slice(0, 8).map((r) => (
                  <li key={r.id}>
                    <Link href={`/flows/runs/${r.id}`} className="flex items-center justify-between gap-2 hover:underline">
                      <RunStatus status={r.status} />
                      <span className="text-xs text-zinc-500">{r.trigger}</span>
                      <span className="text-xs text-zinc-500">
                        <LocalTime value={r.createdAt} style="time" />
                      </span>
                      <span className="text-xs text-zinc-500">{formatDuration(r.durationMs)}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}
