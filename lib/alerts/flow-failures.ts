import "server-only";
import { and, desc, eq, gt, lte, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { alertOnceKeys, flowRuns, flows, teamAlertSettings } from "@/db/schema";
import { DEFAULT_FLOW_FAILURE_STREAK, type AlertEvent } from "./events";
import { raiseAlertOnce } from "./raise";

/** A failure streak is named by the success before it ("first" before any). */
const streakKey = (flowId: string, successBefore: string | undefined) => `flow-streak:${flowId}:${successBefore ?? "first"}`;

export async function flowFailureStreak(db: Executor, teamId: string): Promise<number> {
  const [row] = await db.select({ n: teamAlertSettings.flowFailureStreak }).from(teamAlertSettings).where(eq(teamAlertSettings.teamId, teamId));
  return row?.n ?? DEFAULT_FLOW_FAILURE_STREAK;
}

/**
 * Called when a flow run finished: once the flow has failed N runs in a row since its last success (N is
 * the team's setting, default 3), raises "flow.failing", once per streak (the streak is named by the
 * success before it, so runs finishing together cannot raise it twice); the first success after a streak
 * that was alerted raises "flow.resolved", once. Never throws.
 */
export async function noteFlowRunFinished(db: Database, runId: string): Promise<AlertEvent | null> {
  try {
    const [run] = await db
      .select({
        flowId: flowRuns.flowId,
        teamId: flowRuns.teamId,
        status: flowRuns.status,
        error: flowRuns.error,
        finishedAt: flowRuns.finishedAt,
        flowName: flows.name,
      })
      .from(flowRuns)
      .innerJoin(flows, eq(flows.id, flowRuns.flowId))
      .where(eq(flowRuns.id, runId));
    if (run?.status === "succeeded") return await noteFlowSucceeded(db, { ...run, runId });
    if (run?.status !== "failed") return null;
    const streak = await flowFailureStreak(db, run.teamId);
    const [lastSuccess] = await db
      .select({ id: flowRuns.id, finishedAt: flowRuns.finishedAt })
      .from(flowRuns)
      .where(and(eq(flowRuns.flowId, run.flowId), eq(flowRuns.status, "succeeded")))
      .orderBy(desc(flowRuns.finishedAt))
      .limit(1);
    const since = lastSuccess?.finishedAt ? gt(flowRuns.finishedAt, lastSuccess.finishedAt) : sql`true`;
    const failed = await db
      .select({ id: flowRuns.id })
      .from(flowRuns)
      .where(and(eq(flowRuns.flowId, run.flowId), eq(flowRuns.status, "failed"), since))
      .limit(streak);
    if (failed.length < streak) return null;
    const key = streakKey(run.flowId, lastSuccess?.id);
    return await raiseAlertOnce(db, run.teamId, key, () => ({
      kind: "flow.failing",
      flow: { id: run.flowId, name: run.flowName },
      failedRuns: streak,
      lastError: run.error?.slice(0, 300) ?? null,
    }));
  } catch (error) {
    console.error("[plugboard] flow failure alert:", error instanceof Error ? error.message.split("\n")[0] : "unknown error");
    return null;
  }
}

/** A success ends the streak before it: "resolved" when that streak was alerted, once per streak. */
async function noteFlowSucceeded(
  db: Database,
  run: { runId: string; flowId: string; teamId: string; finishedAt: Date | null; flowName: string },
): Promise<AlertEvent | null> {
  const [successBefore] = await db
    .select({ id: flowRuns.id })
    .from(flowRuns)
    .where(
      and(
        eq(flowRuns.flowId, run.flowId),
        eq(flowRuns.status, "succeeded"),
        ne(flowRuns.id, run.runId),
        run.finishedAt ? lte(flowRuns.finishedAt, run.finishedAt) : sql`true`,
      ),
    )
    .orderBy(desc(flowRuns.finishedAt))
    .limit(1);
  const streak = streakKey(run.flowId, successBefore?.id);
  const [alerted] = await db
    .select({ key: alertOnceKeys.key })
    .from(alertOnceKeys)
    .where(and(eq(alertOnceKeys.teamId, run.teamId), eq(alertOnceKeys.key, streak)));
  if (!alerted) return null;
  return raiseAlertOnce(db, run.teamId, `${streak}:resolved`, () => ({ kind: "flow.resolved", flow: { id: run.flowId, name: run.flowName } }));
}
