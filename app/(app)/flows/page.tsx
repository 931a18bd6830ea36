import Link from "next/link";
import { RunStatus } from "@/components/flows/run-status";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { listFlowPage } from "@/lib/flows";
import { flowListHref, parseFlowListQuery } from "@/lib/flows/list-query";
import { FlowListSearch } from "@/components/flows/flow-list-search";
import { ListPagination } from "@/components/ui/list-pagination";
import { describeSchedule } from "@/lib/flows/cron";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";

export const metadata = { title: "Flows" };

export default async function FlowsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requirePageContext();
  const query = parseFlowListQuery(await searchParams);
  const list = await listFlowPage(await getDb(), ctx, query);
  const flows = list.items;
  const pagination = (
    <ListPagination
      page={list.page}
      pageCount={list.pageCount}
      pageSize={list.pageSize}
      total={list.total}
      href={(page) => flowListHref(query, { page })}
      rangeTestId="flows-range"
    />
  );
  return (
    <>
      <PageHeader
        title="Flows"
        description="Steps of HTTP requests that use what earlier steps returned, run on demand, on a schedule or from a webhook."
        actions={
          <Link
            href="/flows/new"
            className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-700"
          >
            New flow
          </Link>
        }
      />
      {(list.total > 0 || query.q) && <FlowListSearch query={query} />}
      {flows.length === 0 ? (
        query.q ? (
          <EmptyState title={`No flow matches "${query.q}"`}>Try other words, or clear the search.</EmptyState>
        ) : (
          <EmptyState title="No flows yet">
            Create a flow from requests: each step can use the input and earlier steps’ responses, like {"{{steps.getUser.body.id}}"}.
          </EmptyState>
        )
      ) : (
        <div className="space-y-4">
          <Card className="p-0">
            <TableScroll label="Flows">
              <table className="w-full text-left text-sm">
                <TableHead cell="px-4 py-2" columns={["Name", "Steps", "Triggers", "Last run"]} />
                <tbody>
                  {flows.map((f) => (
                    <tr key={f.id} className="border-b border-zinc-100 last:border-0">
                      <td className="px-4 py-2">
                        <Link href={`/flows/${f.id}`} className="font-medium text-indigo-700 hover:underline">
                          {f.name}
                        </Link>
                        {!f.active && <span className="ml-2 rounded bg-zinc-100 px-1.5 text-xs text-zinc-600">inactive</span>}
                        {f.description && <p className="text-xs text-zinc-500">{f.description}</p>}
                      </td>
                      <td className="px-4 py-2">{f.steps}</td>
                      <td className="px-4 py-2 text-zinc-600">
                        {[f.scheduleCron && describeSchedule(f.scheduleCron, f.scheduleTimezone), f.hasWebhook && "Webhook"]
                          .filter(Boolean)
                          .join(" · ") || "Run now only"}
                      </td>
                      <td className="px-4 py-2">
                        {f.lastRun ? (
                          <Link href={`/flows/runs/${f.lastRun.id}`} className="hover:underline">
                            <RunStatus status={f.lastRun.status} />{" "}
                            <span className="text-zinc-500">
                              <LocalTime value={f.lastRun.createdAt} />
                            </span>
                          </Link>
                        ) : (
                          <span className="text-zinc-400">Never</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </Card>
          {pagination}
        </div>
      )}
    </>
  );
}
