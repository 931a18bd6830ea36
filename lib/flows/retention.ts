import "server-only";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { flowRuns, flows } from "@/db/schema";

/** Deletes finished runs older than their flow's retention (days); their step rows go with them. */
export async function pruneFlowRuns(db: Database, now: Date): Promise<number> {
  const expired = db
    .select({ id: flowRuns.id })
    .from(flowRuns)
    .innerJoin(flows, eq(flows.id, flowRuns.flowId))
    .where(
      and(
        inArray(flowRuns.status, ["succeeded", "failed"]),
        lt(flowRuns.createdAt, sql`${now.toISOString()}::timestamptz - make_interval(days => ${flows.retentionDays})`),
      ),
    );
  const deleted = await db.delete(flowRuns).where(inArray(flowRuns.id, expired)).returning({ id: flowRuns.id });
  return deleted.length;
}
