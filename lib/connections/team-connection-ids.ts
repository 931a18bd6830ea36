import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";

/**
 * Which of these ids are connections of the caller's team: what a saved request or a flow may refer to
 * (another team's id, or a deleted one, would be stored as a dangling reference). Rows are share-locked,
 * so inside a transaction a concurrent delete waits until the referring row is written. Imports nothing
 * from the rest of the package, so flows can use it without an import cycle.
 */
export async function findTeamConnectionIds(db: Executor, ctx: TeamContext, ids: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set([...ids].map((id) => id.toLowerCase()))];
  if (!wanted.length) return new Set();
  const found = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.teamId, ctx.team.id), inArray(connections.id, wanted)))
    .for("share");
  return new Set(found.map((row) => row.id));
}
