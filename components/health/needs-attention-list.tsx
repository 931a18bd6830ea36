import Link from "next/link";
import { ConnectionStatusBadge } from "@/components/connections/connection-status";
import { EmptyState } from "@/components/ui/card";
import type { AttentionPage } from "@/lib/health/needs-attention";

const ACTION_LABELS = { reauthorize: "Reauthorize", edit: "Edit", credentials: "Enter credentials" } as const;

/**
 * The Needs attention rows: each connection with why it needs attention and what to do. A list (not a table),
 * so it reads on a phone as on a desk; the action opens the connection's page, where Reauthorize and Edit are.
 */
export function NeedsAttentionList({ page }: { page: AttentionPage }) {
  if (page.items.length === 0) {
    return (
      <EmptyState title="Nothing needs attention">
        Every connection passed its last check, none needs reauthorization and no credential expires within 14 days.
      </EmptyState>
    );
  }
  return (
    <ul className="space-y-3" aria-label="Connections that need attention">
      {page.items.map(({ connection, problems }) => (
        <li key={connection.id} data-testid={`attention-${connection.name}`} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="min-w-0 break-words text-base font-medium">
              <Link href={`/connections/${connection.id}`} className="text-indigo-700 hover:underline">
                {connection.name}
              </Link>
            </h2>
            <ConnectionStatusBadge status={connection.status} />
          </div>
          <ul className="mt-2 space-y-2">
            {problems.map((p) => (
              <li key={p.reason} className="text-sm">
                <p className="break-words text-zinc-800">{p.why}</p>
                <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-zinc-600">
                  <span>{p.todo}</span>
                  <Link
                    href={`/connections/${connection.id}`}
                    className="rounded-md border border-zinc-300 px-2 py-0.5 text-xs font-medium text-zinc-800 hover:bg-zinc-50"
                    aria-label={`${ACTION_LABELS[p.action]} ${connection.name}`}
                  >
                    {ACTION_LABELS[p.action]}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
