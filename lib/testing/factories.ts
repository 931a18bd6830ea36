import { randomUUID } from "node:crypto";
import { getDb } from "@/db";
import { memberships, teams, users, type TeamRole } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { userActor } from "@/lib/auth/team-context";

/**
 * Test factories: every test makes its own team and users, so tests never see each other's rows
 * even though they share one database.
 */
export async function makeUser(name = "Test User") {
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ name, email: `${randomUUID()}@example.test`, passwordHash: "not-a-real-hash" })
    .returning();
  return { id: user.id, email: user.email, name: user.name };
}

export async function makeTeamContext(role: TeamRole = "admin", teamName = "Test Team"): Promise<TeamContext> {
  const db = await getDb();
  const actor = await makeUser();
  const [team] = await db.insert(teams).values({ name: teamName, createdBy: actor.id }).returning();
  await db.insert(memberships).values({ teamId: team.id, userId: actor.id, role });
  return { actor, principal: userActor(actor), team: { id: team.id, name: team.name }, role, ip: "127.0.0.1" };
}

/** Adds a new user to ctx's team and returns their context. */
export async function addMember(ctx: TeamContext, role: TeamRole = "member"): Promise<TeamContext> {
  const db = await getDb();
  const actor = await makeUser("Second User");
  await db.insert(memberships).values({ teamId: ctx.team.id, userId: actor.id, role });
  return { actor, principal: userActor(actor), team: ctx.team, role, ip: "127.0.0.1" };
}
