import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { getDb } from "@/db";
import { listAuditActions, listAuditEvents } from "@/lib/audit/list-audit";
import { AdminsOnly } from "@/components/auth/admins-only";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { listMembers } from "@/lib/teams/members";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";
import { describeStoredActor } from "@/lib/auth/actor";

export const metadata = { title: "Audit log" };

type Search = { action?: string; actor?: string; page?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requirePageContext();
  if (!hasRole(ctx, "admin")) {
    return (
      <AdminsOnly
        ctx={ctx}
        title="Audit log"
        purpose="Admins read the team's security-relevant events here: sign-ins, invitations, role changes and more."
      />
    );
  }
  const db = await getDb();
  const search = await searchParams;
  const actorUserId = search.actor && /^[0-9a-f-]{36}$/i.test(search.actor) ? search.actor : undefined;
  const page = Math.max(1, Number.parseInt(search.page ?? "1", 10) || 1);
  const [{ events, hasNext }, actions, members] = await Promise.all([
    listAuditEvents(db, ctx, { action: search.action || undefined, actorUserId, page }),
    listAuditActions(db, ctx),
    listMembers(db, ctx),
  ]);
  const pageHref = (p: number) => {
    const params = new URLSearchParams();
    if (search.action) params.set("action", search.action);
    if (actorUserId) params.set("actor", actorUserId);
    params.set("page", String(p));
    return `/team/audit?${params}`;
  };
  return (
    <>
      <PageHeader title="Audit log" description="Security-relevant events in this team, newest first." />
      <Card>
        <form className="mb-4 flex flex-wrap items-end gap-3" method="get">
          <label className="text-sm">
            <span className="mb-1 block font-medium">Event</span>
            <Select name="action" defaultValue={search.action ?? ""} className="w-56">
              <option value="">All events</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium">Actor</span>
            <Select name="actor" defaultValue={actorUserId ?? ""} className="w-56">
              <option value="">Anyone</option>
              {members.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name} ({m.email})
                </option>
              ))}
            </Select>
          </label>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </form>
        {events.length === 0 ? (
          <EmptyState title="No events match">Events appear here as people sign in, invite members and change roles.</EmptyState>
        ) : (
          <TableScroll label="Audit events">
            <table className="w-full text-left text-sm">
              <TableHead cell="py-2" columns={["When", "Event", "Actor", "Details", "IP"]} />
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} className="border-b border-zinc-100 align-top">
                    <td className="whitespace-nowrap py-2 text-zinc-600">
                      <LocalTime value={e.createdAt} />
                    </td>
                    <td className="py-2 font-mono text-xs">{e.action}</td>
                    <td className="py-2">{describeStoredActor(e)}</td>
                    <td className="py-2 font-mono text-xs text-zinc-600">
                      {e.targetType ? `${e.targetType} ${e.targetId} ` : ""}
                      {Object.keys(e.metadata).length > 0 ? JSON.stringify(e.metadata) : ""}
                    </td>
                    <td className="py-2 text-zinc-500">{e.ip}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <nav aria-label="Pagination" className="mt-4 flex justify-between text-sm">
          {page > 1 ? <Link href={pageHref(page - 1)}>← Newer</Link> : <span />}
          <span className="text-zinc-500">Page {page}</span>
          {hasNext ? <Link href={pageHref(page + 1)}>Older →</Link> : <span />}
        </nav>
      </Card>
    </>
  );
}
