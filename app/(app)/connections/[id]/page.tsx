import { cookies } from "next/headers";
import { Fragment } from "react";
import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { orNotFound, requirePageContext } from "@/lib/auth/session";
import { callbackUrl, getConnection, listConnectionChecks, listTokenEvents } from "@/lib/connections";
import { CHECK_SOURCE_LABELS, healthSegments, tokenEventLabel, TOKEN_EVENTS, type TokenEventKind } from "@/lib/connections/health";
import { watchingRows } from "@/lib/health/watching";
import { CONNECTION_TYPE_LABELS } from "@/lib/connections/schemas";
import { TableHead } from "@/components/ui/table-head";
import { LocalTime } from "@/components/ui/local-time";
import { ConnectionPageActions } from "@/components/connections/connection-page-actions";
import { ConsentNotice } from "@/components/connections/consent-notice";
import { pickNotice } from "@/lib/connections/notice";
import { toConnectionRow } from "@/components/connections/connection-row";
import { ConnectionStatusBadge } from "@/components/connections/connection-status";
import { HealthStrip } from "@/components/connections/health-strip";
import { TokenCountdown } from "@/components/connections/token-countdown";

export const metadata = { title: "Connection" };

const CHECK_OUTCOME_LABELS: Record<string, string> = { ok: "Passed", failed: "Failed", unchecked: "Not checked" };

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const { id } = await params;
  const db = await getDb();
  const { formDefaults: _form, ...connection } = await orNotFound(getConnection(db, ctx, id));
  const events = await listTokenEvents(db, ctx, id);
  const checks = await listConnectionChecks(db, ctx, id);
  const segments = healthSegments({
    checks,
    events,
    status: connection.status,
    createdAt: connection.createdAt,
    tokenExpiresAt: connection.holdsToken ? connection.tokenExpiresAt : null,
    now: new Date(),
  });
  const failedEvent = (kind: string) => TOKEN_EVENTS[kind as TokenEventKind]?.tone === "failed";
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
      {/* A Reauthorize started here comes back here: the consent's outcome, once. */}
      <ConsentNotice notice={pickNotice((await cookies()).getAll())} />
      {connection.status === "needs_credentials" && (
        <p role="status" data-testid="needs-credentials" className="mb-4 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          This connection was imported without its secrets. Choose Enter credentials and type them: until then no request is sent with it.
        </p>
      )}
      <div className="space-y-6">
        <Card>
          <div className="mb-4">
            <ConnectionPageActions connection={toConnectionRow(connection)} callbackUrl={callbackUrl()} />
          </div>
          <dl className="grid grid-cols-1 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="text-zinc-500">Status</dt>
            <dd data-testid="connection-status">
              <ConnectionStatusBadge status={connection.status} />
            </dd>
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
            <dd className="font-mono text-xs">
              {connection.hostsFromVariables
                ? [...connection.allowedHosts, "the hosts its {{vars.…}} give when it is used"].join(", ")
                : connection.allowedHosts.join(", ") || "none (every request is refused)"}
            </dd>
            {connection.holdsToken && (
              <>
                <dt className="text-zinc-500">Granted scopes</dt>
                <dd className="font-mono text-xs">{connection.grantedScopes?.join(" ") || "—"}</dd>
                <dt className="text-zinc-500">Token expiry</dt>
                <dd>
                  {connection.tokenExpiresAt ? (
                    <>
                      <TokenCountdown expiresAt={connection.tokenExpiresAt.toISOString()} />
                      <span className="text-zinc-500">
                        {" "}
                        (<LocalTime value={connection.tokenExpiresAt} />)
                      </span>
                    </>
                  ) : (
                    "no expiry given"
                  )}
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
          <h2 className="mb-4 text-lg font-semibold">Health</h2>
          <dl className="mb-4 grid grid-cols-1 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]" data-testid="connection-watching">
            {watchingRows(connection.health, new Date()).map((row) => (
              <Fragment key={row.label}>
                <dt className="text-zinc-500">{row.label}</dt>
                <dd>
                  {row.value}
                  {row.next && (
                    <span className="text-zinc-500">
                      {" "}
                      · next <LocalTime value={row.next} />
                    </span>
                  )}
                </dd>
              </Fragment>
            ))}
          </dl>
          <HealthStrip segments={segments} />
          {checks.length > 0 && (
            <details className="mt-4 text-sm">
              <summary className="cursor-pointer text-zinc-700">Recent checks ({checks.length})</summary>
              <table className="mt-2 w-full text-left text-sm" aria-label="Recent checks">
                <TableHead cell="py-2" columns={["When", "Check", "Result"]} />
                <tbody>
                  {checks.map((c) => (
                    <tr key={c.id} className="border-b border-zinc-100 align-top">
                      <td className="whitespace-nowrap py-2 pr-3 text-zinc-600">
                        <LocalTime value={c.createdAt} />
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3">{CHECK_SOURCE_LABELS[c.source as keyof typeof CHECK_SOURCE_LABELS] ?? c.source}</td>
                      <td className="py-2 text-zinc-700">
                        <span className={c.outcome === "failed" ? "font-medium text-red-700" : "font-medium"}>
                          {CHECK_OUTCOME_LABELS[c.outcome] ?? c.outcome}
                        </span>
                        <span className="block break-words">{c.message}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
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
                    <td className={`whitespace-nowrap py-2 pr-3 font-medium ${failedEvent(e.kind) ? "text-red-700" : ""}`}>
                      {tokenEventLabel(e.kind)}
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
