import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { memberships, teams, users, type TeamRole } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";

export async function listMembers(db: Executor, ctx: TeamContext) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, ctx.team.id))
    .orderBy(asc(users.name), asc(users.email));
}

/**
 * Runs `change` with the team row locked, then refuses the change if it left the team without an admin.
 * The lock serialises concurrent demotions/removals so two admins cannot demote each other at once.
 */
async function withAdminInvariant<T>(db: Database, ctx: TeamContext, change: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, ctx.team.id)).for("update");
    const result = await change(tx);
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(and(eq(memberships.teamId, ctx.team.id), eq(memberships.role, "admin")));
    if (Number(row?.n ?? 0) === 0) throw new ServiceError("A team must keep at least one admin.", "conflict");
    return result;
  });
}

export async function changeMemberRole(db: Database, ctx: TeamContext, userId: string, role: TeamRole) {
  requireRole(ctx, "admin");
  await withAdminInvariant(db, ctx, async (tx) => {
    const [before] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.teamId, ctx.team.id), eq(memberships.userId, userId)));
    if (!before) throw new NotFoundError("That member");
    if (before.role === role) return;
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.teamId, ctx.team.id), eq(memberships.userId, userId)));
    await recordTeamAudit(tx, ctx, {
      action: "member.role_changed",
      target: { type: "user", id: userId },
      metadata: { from: before.role, to: role },
    });
  });
}

export async function removeMember(db: Database, ctx: TeamContext, userId: string) {
  requireRole(ctx, "admin");
  await withAdminInvariant(db, ctx, async (tx) => {
    const [removed] = await tx
      .delete(memberships)
      .where(and(eq(memberships.teamId, ctx.team.id), eq(memberships.userId, userId)))
      .returning({ role: memberships.role });
    if (!removed) throw new NotFoundError("That member");
    await recordTeamAudit(tx, ctx, {
      action: "member.removed",
      target: { type: "user", id: userId },
      metadata: { role: removed.role },
    });
  });
}
