import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { memberships, teams, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { ServiceError } from "@/lib/errors/service-error";
import { hashPassword } from "./password";
import type { SetupInput } from "./schemas";
import { userActor } from "./team-context";

export async function needsSetup(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return Number(row?.n ?? 0) === 0;
}

/** Creates the first admin and their team; refused once any account exists. */
export async function completeSetup(db: Database, input: SetupInput, ip: string | null) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Two setup submissions at once must not both succeed.
    await tx.execute(sql`select pg_advisory_xact_lock(7203114552)`);
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if (Number(row?.n ?? 0) > 0) throw new ServiceError("Setup is already complete. Sign in instead.", "conflict");
    const [user] = await tx.insert(users).values({ name: input.name, email: input.email.toLowerCase(), passwordHash }).returning();
    const [team] = await tx.insert(teams).values({ name: input.teamName, createdBy: user.id }).returning();
    await tx.insert(memberships).values({ teamId: team.id, userId: user.id, role: "admin" });
    await recordAudit(tx, {
      teamId: team.id,
      actor: userActor(user),
      action: "setup.completed",
      target: { type: "team", id: team.id },
      ip,
    });
    return { userId: user.id, teamId: team.id };
  });
}
