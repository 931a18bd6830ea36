"use client";
import { useState, useTransition, type TransitionStartFunction } from "react";
import { deleteSavedRequestAction, openRunAction } from "@/app/(app)/requests/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import type { RunRequestInput } from "@/lib/requests/schemas";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";
import { describeActor, type Actor } from "@/lib/auth/actor";

export type HistoryRow = {
  id: string;
  actor: Actor;
  method: string;
  url: string;
  ok: boolean;
  status: number | null;
  errorKind: string | null;
  durationMs: number;
  protocol: string | null;
  connectionName: string | null;
  createdAt: string;
};
export type SavedRow = { id: string; name: string; connectionId: string | null; spec: Record<string, unknown> };

export function HistoryPanel({
  runs,
  saved,
  retention,
  onOpen,
  opening,
  startOpening,
}: {
  runs: HistoryRow[];
  saved: SavedRow[];
  retention: string;
  onOpen: (input: RunRequestInput) => void;
  /** The workspace's transition for loading a history entry: the builder waits while it runs. */
  opening: boolean;
  startOpening: TransitionStartFunction;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <section aria-label="Saved requests" className="min-w-0">
        <h2 className="mb-3 text-lg font-semibold">Saved requests</h2>
        {saved.length === 0 ? (
          <EmptyState title="No saved requests">Give a request a name and save it to use it again, or as a flow step.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 bg-white text-sm">
            {saved.map((s) => (
              <li key={s.id} className="flex items-center justify-between gap-2 px-3 py-2">
                <span className="font-medium">{s.name}</span>
                <span className="flex gap-2">
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => onOpen({ connectionId: s.connectionId, spec: s.spec as RunRequestInput["spec"] })}
                  >
                    Open
                  </Button>
                  <ConfirmButton
                    label="Delete"
                    confirmLabel="Delete?"
                    pending={pending}
                    onConfirm={() => startTransition(async () => void (await deleteSavedRequestAction({ savedRequestId: s.id })))}
                  />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="History" className="min-w-0">
        <h2 className="mb-1 text-lg font-semibold">History</h2>
        <p className="mb-3 text-xs text-zinc-500" data-testid="history-retention">
          {retention}
        </p>
        <FormMessage error={error} />
        {runs.length === 0 ? (
          <EmptyState title="No requests yet">Every request your team sends appears here, to open and run again.</EmptyState>
        ) : (
          <TableScroll label="History entries">
            <table className="w-full border-separate border-spacing-x-2 text-left text-sm">
              <TableHead cell="py-1" columns={["When", "Request", "Status", "Time", "Who", ""]} />
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} className="border-t border-zinc-100" data-testid="history-row">
                    <td className="whitespace-nowrap py-1 text-zinc-500">
                      <LocalTime value={r.createdAt} />
                    </td>
                    {/* w-full with max-w-0: the URL takes the room left and is cut with an ellipsis (its whole text in the title), never widening the page. */}
                    <td className="w-full min-w-40 max-w-0 py-1 font-mono text-xs">
                      <div className="truncate" title={`${r.method} ${r.url}`}>
                        {r.method} {r.url}
                      </div>
                    </td>
                    <td className="whitespace-nowrap py-1" data-testid="history-status">
                      {r.ok ? r.status : (r.errorKind ?? "error")}
                      {r.protocol && <span className="ml-1 text-xs text-zinc-500">{r.protocol}</span>}
                    </td>
                    <td className="py-1">{r.durationMs} ms</td>
                    <td className="py-1 text-zinc-500">{describeActor(r.actor)}</td>
                    <td className="py-1 text-right">
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={pending || opening}
                        onClick={() =>
                          startOpening(async () => {
                            const result = await openRunAction({ runId: r.id });
                            if (!result.ok) return setError(result.error);
                            onOpen({ connectionId: result.data.connectionId, spec: result.data.spec as RunRequestInput["spec"] });
                            window.scrollTo({ top: 0, behavior: "smooth" });
                          })
                        }
                      >
                        Open
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </div>
  );
}
