import "server-only";
import type { PgBoss } from "pg-boss";
import { carryOverV10Jobs, createQueueOnce, getQueue, setUpQueuesOnce } from "@/lib/jobs";

/** The flow queues on pg-boss and how a run becomes a job. */

export const RUN_QUEUE = "flow-run";
/** Jobs that failed for good (dead worker past its time limit, retries used up): their runs are marked failed. */
export const LOST_RUN_QUEUE = "flow-run-lost";
export const MAINTENANCE_QUEUE = "flow-maintenance";

export type RunJob = { runId: string };

/** Margin over the run's own time limit before the queue declares its worker dead. */
export const EXPIRY_MARGIN_SECONDS = 5;

/** Jobs are bookkeeping for flow runs, which keep their own history: finished jobs are kept briefly. */
const FINISHED_JOB_SECONDS = 2 * 24 * 3600;

export async function ensureFlowQueues(boss: PgBoss): Promise<void> {
  await createQueueOnce(boss, LOST_RUN_QUEUE, { deleteAfterSeconds: FINISHED_JOB_SECONDS });
  await createQueueOnce(boss, MAINTENANCE_QUEUE, { deleteAfterSeconds: FINISHED_JOB_SECONDS });
  await createQueueOnce(boss, RUN_QUEUE, { deadLetter: LOST_RUN_QUEUE, deleteAfterSeconds: FINISHED_JOB_SECONDS });
  await carryOverV10Jobs(boss);
}

/** Queues a run: the job expires (worker presumed dead) a little after the run's time limit. */
export async function enqueueRun(run: { runId: string; timeoutSeconds: number; retries: number }): Promise<string> {
  const boss = await getQueue();
  await setUpQueuesOnce(boss, "flows", () => ensureFlowQueues(boss));
  const id = await boss.send(RUN_QUEUE, { runId: run.runId } satisfies RunJob, {
    expireInSeconds: run.timeoutSeconds + EXPIRY_MARGIN_SECONDS,
    retryLimit: run.retries,
    retryDelay: 1,
    deadLetter: LOST_RUN_QUEUE,
  });
  if (!id) throw new Error("The job queue did not accept the run.");
  wakeRunWorkers(boss);
  return id;
}

declare global {
  var __plugboardRunWorkerIds: string[] | undefined;
}

/** The run workers of this process, so a run queued here is picked up at once instead of at the next poll. */
export function registerRunWorkers(ids: string[]) {
  globalThis.__plugboardRunWorkerIds = ids;
}

export function wakeRunWorkers(boss: PgBoss) {
  for (const id of globalThis.__plugboardRunWorkerIds ?? []) boss.notifyWorker(id);
}
