import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { memberships, type TeamRole } from "@/db/schema";

/** The user's role in the team right now, or null once they have left it. */
export async function currentRole(db: Executor, teamId: string, userId: string): Promise<TeamRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}
