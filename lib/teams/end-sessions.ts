import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { memberships, users } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError } from "@/lib/errors/service-error";

/**
 * A team admin ends every browser session of a member of their team: the member's session version is
 * raised, so each instance refuses their cookies at the next request (lib/auth/session-version.ts) and
 * they must sign in again, where SSO rules and SSO-only mode apply anew. Audited in the team's log.
 */
export async function endMemberSessions(db: Database, ctx: TeamContext, userId: string): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const [member] = await tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.teamId, ctx.team.id), eq(memberships.userId, userId)));
    if (!member) throw new NotFoundError("That member");
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await recordTeamAudit(tx, ctx, { action: "member.sessions_ended", target: { type: "user", id: userId }, metadata: { email: member.email } });
  });
}
