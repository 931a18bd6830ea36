import { InvitationsPanel } from "@/components/team/invitations-panel";
import { MembersTable } from "@/components/team/members-table";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import Link from "next/link";
import { isInstanceAdmin } from "@/lib/auth/instance-admin";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { listPendingInvitations } from "@/lib/teams/invitations";
import { listMembers } from "@/lib/teams/members";

export const metadata = { title: "Team" };

export default async function TeamPage() {
  const ctx = await requirePageContext();
  const db = await getDb();
  const isAdmin = hasRole(ctx, "admin");
  const members = await listMembers(db, ctx);
  const invitations = isAdmin ? await listPendingInvitations(db, ctx) : [];
  const instanceAdmin = isAdmin && (await isInstanceAdmin(db, ctx.actor.id));
  return (
    <>
      <PageHeader title={ctx.team.name} description={`You are ${ctx.role === "admin" ? "an admin" : "a member"} of this team.`} />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Members</h2>
          <MembersTable
            canManage={isAdmin}
            currentUserId={ctx.actor.id}
            members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
          />
        </Card>
        {isAdmin && (
          <Card>
            <h2 className="mb-4 text-lg font-semibold">Invitations</h2>
            <InvitationsPanel
              pending={invitations.map((i) => ({ id: i.id, role: i.role, createdByName: i.createdByName, expiresAt: i.expiresAt.toISOString() }))}
            />
          </Card>
        )}
        {instanceAdmin && (
          <Card>
            <h2 className="mb-2 text-lg font-semibold">Instance</h2>
            <p className="text-sm text-zinc-700">
              As the instance admin you manage how everyone signs in:{" "}
              <Link href="/admin/sso" className="text-indigo-700 underline">
                Single sign-on
              </Link>
              .
            </p>
          </Card>
        )}
      </div>
    </>
  );
}
