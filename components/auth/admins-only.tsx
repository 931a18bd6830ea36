import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { listMembers } from "@/lib/teams/members";

/**
 * What a member sees on a page for team admins: which page it is, who they are signed in as, and whom to
 * ask. The page exists for everyone, so saying so hides nothing (records of other teams stay 404s).
 */
export async function AdminsOnly({ ctx, title, purpose }: { ctx: TeamContext; title: string; purpose: string }) {
  const admins = (await listMembers(await getDb(), ctx)).filter((m) => m.role === "admin");
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <h2 className="text-lg font-semibold">This page is for team admins</h2>
        <p className="mt-2 text-sm text-zinc-700">{purpose}</p>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="You are signed in as">
          <dt className="text-zinc-500">Signed in as</dt>
          <dd>
            {ctx.actor.name} ({ctx.actor.email})
          </dd>
          <dt className="text-zinc-500">Role</dt>
          <dd>{ctx.role}</dd>
          <dt className="text-zinc-500">Team</dt>
          <dd>{ctx.team.name}</dd>
        </dl>
        <p className="mt-4 text-sm text-zinc-700">
          {admins.length > 0 ? (
            <>
              Ask an admin of {ctx.team.name} ({admins.map((a) => `${a.name} <${a.email}>`).join(", ")}) if you need it, or switch to a team where you
              are an admin.
            </>
          ) : (
            <>Ask an admin of {ctx.team.name} if you need it.</>
          )}{" "}
          <Link href="/team" className="text-indigo-700 underline">
            See the team
          </Link>
        </p>
      </Card>
    </>
  );
}
