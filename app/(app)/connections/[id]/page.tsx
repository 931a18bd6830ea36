import { Fragment } from "react";
import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { orNotFound, requirePageContext } from "@/lib/auth/session";
import { getConnection, listTokenEvents } from "@/lib/connections";
import { CONNECTION_STATUS_LABELS, CONNECTION_TYPE_LABELS } from "@/lib/connections/schemas";
import { TableHead } from "@/components/ui/table-head";
import { LocalTime } from "@/components/ui/local-time";

export const metadata = { title: "Connection" };

const EVENT_LABELS: Record<string, string> = {
  issued: "Issued",
  refreshed: "Refreshed",
  refresh_failed: "Refresh failed",
  revoked: "Revoked",
  authorization_failed: "Consent failed",
};

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const { id } = await params;
  const db = await getDb();
  const connection = await orNotFound(getConnection(db, ctx, id));
  const events = await listTokenEvents(db, ctx, id);
  return (
    <>
      <PageHeader
        title={connection.name}
        description={CONNECTION_TYPE_LABELS[connection.type]}
        actions={
          <Link href="/connections" className="text-sm text-indigo-700 hover:underline">
            ← All connections
          </Link>
        }
      />
      <div className="space-y-6">
        <Card>
          <dl className="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
            <dt className="text-zinc-500">Status</dt>
            <dd data-testid="connection-status">{CONNECTION_STATUS_LABELS[connection.status]}</dd>
            <dt className="text-zinc-500">Last verified</dt>
            <dd>
              <LocalTime value={connection.lastVerifiedAt} />
              {connection.lastVerifyMessage && <span className="block text-zinc-600">{connection.lastVerifyMessage}</span>}
            </dd>
            {connection.details.map((d) => (
              <Fragment key={d.label}>
                <dt className="text-zinc-500">{d.label}</dt>
                <dd className="break-all font-mono text-xs">{d.value}</dd>
              </Fragment>
            ))}
            <dt className="text-zinc-500">Allowed domains</dt>
            <dd className="font-mono text-xs">{connection.allowedHosts.join(", ") || "none (every request is refused)"}</dd>
            {connection.holdsToken && (
              <>
                <dt className="text-zinc-500">Granted scopes</dt>
                <dd className="font-mono text-xs">{connection.grantedScopes?.join(" ") || "—"}</dd>
                <dt className="text-zinc-500">Token expiry</dt>
                <dd>
                  <LocalTime value={connection.tokenExpiresAt} />
                </dd>
              </>
            )}
            <dt className="text-zinc-500">Created by</dt>
            <dd>
              {connection.createdByName ?? "a former member"}, <LocalTime value={connection.createdAt} />
            </dd>
            <dt className="text-zinc-500">Used by</dt>
            <dd>{connection.usedBy.length ? connection.usedBy.join(", ") : "nothing yet"}</dd>
          </dl>
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Token timeline</h2>
          {events.length === 0 ? (
            <EmptyState title="No token events">
              {connection.holdsToken
                ? "Tokens issued, refreshed and failed refreshes appear here."
                : `${CONNECTION_TYPE_LABELS[connection.type]} connections hold no tokens.`}
            </EmptyState>
          ) : (
            <table className="w-full text-left text-sm" aria-label="Token timeline">
              <TableHead cell="py-2" columns={["When", "Event", "Details"]} />
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} className="border-b border-zinc-100 align-top">
                    <td className="whitespace-nowrap py-2 pr-3 text-zinc-600">
                      <LocalTime value={e.createdAt} />
                    </td>
                    <td className={`whitespace-nowrap py-2 pr-3 font-medium ${e.kind.endsWith("failed") ? "text-red-700" : ""}`}>
                      {EVENT_LABELS[e.kind] ?? e.kind}
                    </td>
                    <td className="py-2 text-zinc-700">
                      {e.message}
                      {e.expiresAt && (
                        <span className="block text-xs text-zinc-500">
                          expires <LocalTime value={e.expiresAt} />
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
