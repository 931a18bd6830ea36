import "server-only";
import type { Database } from "@/db";
import { memberships, teams } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/team-context";
import { userActor } from "@/lib/auth/team-context";

/** Any signed-in user may create a team; they become its only member and admin. */
export async function createTeam(db: Database, actor: Actor, name: string, ip?: string | null) {
  return db.transaction(async (tx) => {
    const [team] = await tx.insert(teams).values({ name, createdBy: actor.id }).returning();
    await tx.insert(memberships).values({ teamId: team.id, userId: actor.id, role: "admin" });
    await recordAudit(tx, {
      teamId: team.id,
      actor: userActor(actor),
      action: "team.created",
      target: { type: "team", id: team.id },
      metadata: { name },
      ip,
    });
    return team;
  });
}
