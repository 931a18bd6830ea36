import Link from "next/link";
import { RefreshWhile } from "@/components/flows/refresh-while";
import { RerunButton } from "@/components/flows/run-now";
import { formatDuration, RunStatus } from "@/components/flows/run-status";
import { RunCookies } from "@/components/flows/run-cookies";
import { RunTimeline } from "@/components/flows/run-timeline";
import { StepRunView } from "@/components/flows/step-run-view";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { orNotFound, requirePageContext } from "@/lib/auth/session";
import { getFlowRun } from "@/lib/flows";
import { LocalTime } from "@/components/ui/local-time";
import { describeStoredActor } from "@/lib/auth/actor";

export const metadata = { title: "Flow run" };

export default async function FlowRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const ctx = await requirePageContext();
  const { runId } = await params;
  const { run, flow, steps } = await orNotFound(getFlowRun(await getDb(), ctx, runId));
  const active = run.status === "queued" || run.status === "running";
  return (
    <>
      <RefreshWhile active={active} />
      <PageHeader
        title={`Run of ${flow.name}`}
        actions={
          <div className="flex items-start gap-3">
            <Link href={`/flows/${flow.id}/runs`} className="text-sm text-indigo-700 hover:underline">
              All runs
            </Link>
            <Link href={`/flows/${flow.id}`} className="text-sm text-indigo-700 hover:underline">
              Edit flow
            </Link>
          </div>
        }
      />
      <Card className="mb-6 space-y-3">
        <dl className="grid gap-3 text-sm sm:grid-cols-5">
          <div>
            <dt className="text-zinc-500">Status</dt>
            <dd data-testid="run-status">
              <RunStatus status={run.status} />
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">Trigger</dt>
            <dd>{run.trigger}</dd>
          </div>
          <div>
            <dt className="text-zinc-500">Started</dt>
            <dd>
              <LocalTime value={run.startedAt ?? run.createdAt} />
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">Duration</dt>
            <dd>{formatDuration(run.durationMs)}</dd>
          </div>
          <div>
            <dt className="text-zinc-500">By</dt>
            <dd>{describeStoredActor(run)}</dd>
          </div>
        </dl>
        {run.error && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="run-error">
            {run.error}
          </p>
        )}
        <details>
          <summary className="cursor-pointer text-sm font-medium">Input</summary>
          <pre className="mt-2 overflow-x-auto rounded bg-zinc-50 p-2 text-xs">{JSON.stringify(run.input, null, 2)}</pre>
        </details>
        {!active && <RerunButton runId={run.id} />}
      </Card>
      <RunTimeline steps={steps} runDurationMs={run.durationMs} />
      <RunCookies cookies={run.cookies} />
      <div className="space-y-4">
        {steps.length === 0 && <p className="text-sm text-zinc-500">{active ? "Waiting for a worker…" : "No step ran."}</p>}
        {steps.map((s) => (
          <StepRunView key={s.id} step={s} />
        ))}
      </div>
    </>
  );
}
