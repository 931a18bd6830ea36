import "server-only";
import { and, count, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Database } from "@/db";
import { flowRuns, flows, teams } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { nextRunAfter } from "./cron";
import { systemContext } from "./flows";
import { startFlowRun } from "./runs";
import { actorColumns } from "@/lib/auth/actor";

/**
 * Fires due schedules. Every app instance calls this every second or so; an instance fires a tick only
 * after moving the flow's next_run_at forward with compare-and-set, and the run row is unique per
 * (flow, tick), so one tick makes one run however many instances look. Missed ticks (all instances
 * down) are not replayed one by one: the flow runs once and continues from now.
 */
export async function runDueSchedules(db: Database, now: Date): Promise<{ started: string[]; skipped: string[] }> {
  const due = await db
    .select({ flow: flows, teamName: teams.name })
    .from(flows)
    .innerJoin(teams, eq(teams.id, flows.teamId))
    .where(and(eq(flows.active, true), isNotNull(flows.scheduleCron), lte(flows.nextRunAt, now)))
    .limit(100);
  const started: string[] = [];
  const skipped: string[] = [];
  for (const { flow, teamName } of due) {
    const tick = flow.nextRunAt;
    // The where clause only selects flows with both; the row type does not know it.
    if (!tick || !flow.scheduleCron) continue;
    const next = nextRunAfter(flow.scheduleCron, flow.scheduleTimezone, now);
    const claimed = await db
      .update(flows)
      .set({ nextRunAt: next })
      .where(and(eq(flows.id, flow.id), eq(flows.nextRunAt, tick)))
      .returning({ id: flows.id });
    if (!claimed.length) continue;
    // Slow runs must not pile up: a tick is skipped while the flow is at its concurrency limit.
    const [{ busy }] = await db
      .select({ busy: count() })
      .from(flowRuns)
      .where(and(eq(flowRuns.flowId, flow.id), inArray(flowRuns.status, ["queued", "running"])));
    if (busy >= flow.maxConcurrentRuns) {
      skipped.push(flow.id);
      continue;
    }
    const ctx = systemContext({ id: flow.teamId, name: teamName }, { kind: "schedule", flowId: flow.id });
    try {
      const run = await startFlowRun(db, ctx, { flowId: flow.id, input: flow.sampleInput, trigger: "schedule", scheduledFor: tick });
      if (run) started.push(run.runId);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      // A run that cannot start (no connection for a slot) is recorded, so the history says why.
      await db
        .insert(flowRuns)
        .values({
          teamId: flow.teamId,
          flowId: flow.id,
          trigger: "schedule",
          input: flow.sampleInput,
          ...actorColumns(ctx.principal),
          scheduledFor: tick,
          status: "failed",
          error: error.message,
          finishedAt: new Date(),
          durationMs: 0,
        })
        .onConflictDoNothing();
    }
  }
  return { started, skipped };
}
