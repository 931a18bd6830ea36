import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { memberships, teams, users, type TeamRole } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors/service-error";
import type { Actor as RecordedActor } from "./actor";

/** The account whose membership and role apply: a user, or an application's service member. */
export type Actor = { id: string; email: string; name: string };

/**
 * Who is acting, in which team, with which role. Every service that touches team data takes one, and
 * it can only be built by `resolveTeamContext`, after the membership was checked in the database.
 */
export type TeamContext = {
  readonly actor: Actor;
  /** Who is acting, as audit rows and histories record it (a user, an application, a schedule, a webhook). */
  readonly principal: RecordedActor;
  readonly team: { id: string; name: string };
  readonly role: TeamRole;
  readonly ip?: string | null;
};

const rank: Record<TeamRole, number> = { member: 1, admin: 2 };

export function hasRole(ctx: TeamContext, needed: TeamRole): boolean {
  return rank[ctx.role] >= rank[needed];
}

export function requireRole(ctx: TeamContext, needed: TeamRole): void {
  if (!hasRole(ctx, needed)) throw new ForbiddenError(needed === "admin" ? "Only team admins can do that." : undefined);
}

export type TeamMembershipSummary = { teamId: string; teamName: string; role: TeamRole };

export async function listUserTeams(db: Executor, userId: string): Promise<TeamMembershipSummary[]> {
  return db
    .select({ teamId: teams.id, teamName: teams.name, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(teams.name), asc(teams.id));
}

/**
 * Builds the context for `userId` in `preferredTeamId` when they are a member of it, else in their first
 * team. Returns null when the user does not exist or belongs to no team.
 */
export async function resolveTeamContext(
  db: Executor,
  userId: string,
  preferredTeamId: string | undefined,
  ip?: string | null,
): Promise<TeamContext | null> {
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  if (!user) return null;
  const isUuid = preferredTeamId && /^[0-9a-f-]{36}$/i.test(preferredTeamId);
  if (isUuid) {
    const [row] = await db
      .select({ teamId: teams.id, teamName: teams.name, role: memberships.role })
      .from(memberships)
      .innerJoin(teams, eq(teams.id, memberships.teamId))
      .where(and(eq(memberships.userId, userId), eq(memberships.teamId, preferredTeamId)));
    if (row) return { actor: user, principal: userActor(user), team: { id: row.teamId, name: row.teamName }, role: row.role, ip };
  }
  const [first] = await listUserTeams(db, userId);
  if (!first) return null;
  return { actor: user, principal: userActor(user), team: { id: first.teamId, name: first.teamName }, role: first.role, ip };
}

export function userActor(user: { id: string; email: string }): RecordedActor {
  return { kind: "user", userId: user.id, email: user.email };
}
