import "server-only";
import { and, count, eq, inArray, isNotNull } from "drizzle-orm";
import type { Database } from "@/db";
import { flowRuns, flows } from "@/db/schema";
import { enqueueRun } from "./queue";

/**
 * Runs deferred at their flow's concurrency limit wait without a job (runner.ts marks them `deferred_at`),
 * so a long run does not make the queue spin a job row per second for each waiting run. They get a new
 * job when a slot frees: right after a run of the flow finishes or is lost, and from the workers' periodic
 * sweep (a wake-up lost to a crash or a failed enqueue). Each wake-up queues at most the free slots.
 */

const SWEEP_BATCH = 500;

/** Gives waiting runs a job while their flow has free slots; returns the run ids queued. */
export async function wakeDeferredRuns(db: Database, flowId?: string): Promise<string[]> {
  const chosen = await db.transaction(async (tx) => {
    // The flow row lock orders this after a claim that is deferring a run right now (it holds the same lock),
    // so that run's deferred_at is visible here and cannot be missed.
    if (flowId) await tx.select({ id: flows.id }).from(flows).where(eq(flows.id, flowId)).for("update");
    const waiting = await tx
      .select({
        id: flowRuns.id,
        flowId: flowRuns.flowId,
        limit: flows.maxConcurrentRuns,
        timeoutSeconds: flows.runTimeoutSeconds,
        retries: flows.runRetries,
      })
      .from(flowRuns)
      .innerJoin(flows, eq(flows.id, flowRuns.flowId))
      .where(and(eq(flowRuns.status, "queued"), isNotNull(flowRuns.deferredAt), flowId ? eq(flowRuns.flowId, flowId) : undefined))
      .orderBy(flowRuns.createdAt)
      .limit(SWEEP_BATCH);
    if (!waiting.length) return [];
    const flowIds = [...new Set(waiting.map((w) => w.flowId))];
    const running = await tx
      .select({ flowId: flowRuns.flowId, n: count() })
      .from(flowRuns)
      .where(and(inArray(flowRuns.flowId, flowIds), eq(flowRuns.status, "running")))
      .groupBy(flowRuns.flowId);
    const free = new Map(flowIds.map((id) => [id, 0]));
    for (const w of waiting) free.set(w.flowId, w.limit);
    for (const r of running) free.set(r.flowId, (free.get(r.flowId) ?? 0) - r.n);
    const picked = waiting.filter((w) => {
      const slots = free.get(w.flowId) ?? 0;
      if (slots <= 0) return false;
      free.set(w.flowId, slots - 1);
      return true;
    });
    if (!picked.length) return [];
    // Compare-and-set: of several instances waking the same run, one gets it.
    const taken = await tx
      .update(flowRuns)
      .set({ deferredAt: null })
      .where(
        and(
          inArray(
            flowRuns.id,
            picked.map((p) => p.id),
          ),
          eq(flowRuns.status, "queued"),
          isNotNull(flowRuns.deferredAt),
        ),
      )
      .returning({ id: flowRuns.id });
    const ids = new Set(taken.map((t) => t.id));
    return picked.filter((p) => ids.has(p.id));
  });
  const queued: string[] = [];
  // Outside the transaction: the queue may use its own connections (and PGlite has one).
  for (const run of chosen) {
    try {
      await enqueueRun({ runId: run.id, timeoutSeconds: run.timeoutSeconds, retries: run.retries });
      queued.push(run.id);
    } catch (error) {
      // Back to waiting: the next sweep tries again.
      await db
        .update(flowRuns)
        .set({ deferredAt: new Date() })
        .where(and(eq(flowRuns.id, run.id), eq(flowRuns.status, "queued")));
      console.error(`[plugboard] flow run ${run.id} could not be queued again:`, (error as Error).message);
    }
  }
  return queued;
}
