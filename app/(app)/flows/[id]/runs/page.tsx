import Link from "next/link";
import { formatDuration, RunStatus } from "@/components/flows/run-status";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { orNotFound, requirePageContext } from "@/lib/auth/session";
import { listFlowRuns, loadFlow } from "@/lib/flows";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";
import { describeActor } from "@/lib/auth/actor";

export const metadata = { title: "Flow runs" };

export default async function FlowRunsPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const { id } = await params;
  const db = await getDb();
  const flow = await orNotFound(loadFlow(db, ctx, id));
  const runs = await listFlowRuns(db, ctx, id);
  return (
    <>
      <PageHeader
        title={`Runs of ${flow.name}`}
        description={`The latest ${runs.length} runs; runs older than ${flow.retentionDays} days are removed.`}
        actions={
          <Link href={`/flows/${id}`} className="text-sm text-indigo-700 hover:underline">
            Back to the flow
          </Link>
        }
      />
      {runs.length === 0 ? (
        <EmptyState title="No runs yet">Use Run now on the flow, its schedule or its webhook.</EmptyState>
      ) : (
        <Card className="p-0">
          <TableScroll label="Runs">
            <table className="w-full text-left text-sm">
              <TableHead cell="px-4 py-2" columns={["Status", "Trigger", "Started", "Duration", "By"]} />
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} className="border-b border-zinc-100 last:border-0" data-testid="run-row">
                    <td className="px-4 py-2">
                      <Link href={`/flows/runs/${r.id}`} className="hover:underline">
                        <RunStatus status={r.status} />
                      </Link>
                      {r.error && <p className="mt-1 max-w-md truncate text-xs text-red-700">{r.error}</p>}
                    </td>
                    <td className="px-4 py-2">{r.trigger}</td>
                    <td className="px-4 py-2">
                      <Link href={`/flows/runs/${r.id}`} className="text-indigo-700 hover:underline">
                        <LocalTime value={r.startedAt ?? r.createdAt} />
                      </Link>
                    </td>
                    <td className="px-4 py-2">{formatDuration(r.durationMs)}</td>
                    <td className="px-4 py-2 text-zinc-600">{describeActor(r.actor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
    </>
  );
}
