"use client";
import Link from "next/link";
import { type ReactNode, useEffect, useState } from "react";
import { dismissConnectionNoticeAction } from "@/app/(app)/connections/actions";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { CONNECTION_STATUS_LABELS, type ConnectionStatus } from "@/lib/connections/status";
import type { ConnectionNotice } from "@/lib/connections/notice";
import { type ActionResult, ConnectionActions } from "./connection-actions";
import type { DialogTarget } from "./connection-dialog";
import { ConnectionDialog } from "./lazy-connection-dialog";
import { ConnectionStatusBadge } from "./connection-status";
import type { ConnectionRowData } from "./connection-row";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";

export function ConnectionsView({
  connections,
  filters,
  pagination,
  emptyFor,
  callbackUrl,
  notice,
}: {
  /** One page of the list. */
  connections: ConnectionRowData[];
  /** The search, status and sort form (a server component: it works before hydration). */
  filters: ReactNode;
  /** The range shown and the page links. */
  pagination: ReactNode;
  /** The filters in force, for the empty state ("no match" rather than "no connections yet"). */
  emptyFor: { q: string; status?: ConnectionStatus } | null;
  callbackUrl: string;
  notice: ConnectionNotice | null;
}) {
  const [dialog, setDialog] = useState<DialogTarget | null>(null);
  const [shownNotice] = useState(notice);
  useEffect(() => {
    if (notice) void dismissConnectionNoticeAction({ cookie: notice.cookie });
  }, [notice]);
  return (
    <div className="space-y-4">
      {shownNotice && <FormMessage error={shownNotice.ok ? null : shownNotice.message} success={shownNotice.ok ? shownNotice.message : null} />}
      <div className="flex flex-wrap items-end justify-between gap-3">
        {filters}
        <Button onClick={() => setDialog({ mode: "create" })}>New connection</Button>
      </div>
      {connections.length === 0 ? (
        emptyFor ? (
          <EmptyState title={noMatchTitle(emptyFor)}>Try other words or another status, or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="No connections yet">
            A connection stores the credentials for a third-party service (an API key, a username and password, or OAuth 2.0 access), encrypted.
            Everyone in the team can then use it in requests and flows without seeing the secret.
          </EmptyState>
        )
      ) : (
        <>
          <TableScroll label="Connections" className="rounded-lg border border-zinc-200 bg-white">
            {/*
              Cell and row classes once here, not on each of the rows' cells (they were most of the list's HTML,
              and each attribute is work for the server's render): every column's by its position, the name's
              link as the first cell's child. The name is wide enough to take two lines at most beside the others.
            */}
            <table
              className={
                "w-full text-left text-sm [&_td]:px-3 [&_td]:py-2 [&_td:nth-child(n+4)]:text-zinc-600 " +
                "[&_td:nth-child(1)]:min-w-52 [&_td:nth-child(1)]:font-medium [&_td>a]:text-indigo-700 [&_td>a:hover]:underline " +
                "[&_td:nth-child(2)]:min-w-28 [&_td:nth-child(2)]:text-zinc-700 [&_td:nth-child(4)]:whitespace-nowrap " +
                "[&_td:nth-child(5)]:text-xs [&_td:nth-child(6)]:whitespace-nowrap"
              }
            >
              <TableHead
                cell="px-3 py-2"
                columns={[
                  "Name",
                  "Type",
                  "Status",
                  "Last verified",
                  "Scopes / token expiry",
                  "Created by",
                  "Used by",
                  { label: "Actions", align: "right" as const },
                ]}
              />
              <tbody className="*:border-b *:border-zinc-100 *:align-top *:last:border-0">
                {connections.map((c) => (
                  <ConnectionRow key={c.id} connection={c} onEdit={() => setDialog({ mode: "edit", connection: c })} />
                ))}
              </tbody>
            </table>
          </TableScroll>
          {pagination}
        </>
      )}
      {dialog && <ConnectionDialog target={dialog} callbackUrl={callbackUrl} onClose={() => setDialog(null)} />}
    </div>
  );
}

function noMatchTitle({ q, status }: { q: string; status?: ConnectionStatus }): string {
  const words = q ? ` matches "${q}"` : "";
  const state = status ? `${words ? " and" : ""} has the status “${CONNECTION_STATUS_LABELS[status]}”` : "";
  return `No connection${words}${state}`;
}

function ConnectionRow({ connection: c, onEdit }: { connection: ConnectionRowData; onEdit: () => void }) {
  const [result, setResult] = useState<ActionResult | null>(null);
  // One message per row, under the status: this session's answer (Verify, Reauthorize, Delete), else the stored failure.
  const message = result ? { ok: result.ok, text: result.message } : c.verifyFailure ? { ok: false, text: c.verifyFailure } : null;

  return (
    <tr data-testid={`connection-${c.name}`} data-verified-at={c.lastVerifiedAt ?? ""}>
      <td>
        <Link href={`/connections/${c.id}`}>{c.name}</Link>
      </td>
      <td>{c.typeLabel}</td>
      <td>
        <ConnectionStatusBadge status={c.status} />
        {c.expiryText && (
          <p
            data-testid="connection-expiry"
            className={`mt-1 whitespace-nowrap text-xs ${c.expirySoon ? "font-medium text-amber-800" : "text-zinc-600"}`}
          >
            Credential {c.expiryText}
          </p>
        )}
        {message && (
          <p role="status" className={`mt-1 max-w-xs text-xs ${message.ok ? "text-green-700" : "text-red-700"}`}>
            {message.ok ? "✓ " : ""}
            {message.text}
          </p>
        )}
      </td>
      <td>
        <LocalTime value={c.lastVerifiedAt} />
      </td>
      <td>
        {c.token ? (
          <>
            <div>{c.token.scopes?.length ? c.token.scopes.join(" ") : "—"}</div>
            <div>
              {c.token.expiresAt ? (
                <>
                  expires <LocalTime value={c.token.expiresAt} />
                </>
              ) : (
                ""
              )}
            </div>
          </>
        ) : (
          "—"
        )}
      </td>
      <td>{c.createdByName ?? "a former member"}</td>
      <td>{c.usedBy.length}</td>
      <td>
        <ConnectionActions connection={c} onEdit={onEdit} onResult={setResult} />
      </td>
    </tr>
  );
}
