import "server-only";
import { getDb } from "@/db";
import { getQueue, type QueueOptions } from "@/lib/jobs";
import { ensureFlowQueues, enqueueRun, LOST_RUN_QUEUE, MAINTENANCE_QUEUE, registerRunWorkers, RUN_QUEUE, type RunJob } from "./queue";
import { pruneFlowRuns } from "./retention";
import { executeFlowRun, markRunLost, noteRunError, type RunnerOptions } from "./runner";
import { runDueSchedules } from "./scheduler";

/**
 * The flow workers of one process: `concurrency` pg-boss workers on the run queue, one on the lost-run
 * queue (jobs the queue failed for good: dead worker or time limit), the schedule ticker and an hourly
 * prune. Started once per process from instrumentation.ts; tests and the benchmark start them directly.
 */

export interface FlowWorkerOptions extends QueueOptions {
  /** Runs this process executes at the same time. */
  concurrency?: number;
  /** How often due schedules are checked. */
  schedulerIntervalMs?: number;
  runner?: RunnerOptions;
  /** Called after each job (tests, benchmark). */
  onRunDone?: (runId: string, outcome: string) => void;
}

export interface FlowWorkers {
  stop(): Promise<void>;
}

declare global {
  var __plugboardFlowWorkers: Promise<FlowWorkers> | undefined;
}

export function startFlowWorkers(options: FlowWorkerOptions = {}): Promise<FlowWorkers> {
  return (globalThis.__plugboardFlowWorkers ??= start(options).catch((error) => {
    globalThis.__plugboardFlowWorkers = undefined;
    throw error;
  }));
}

export async function stopFlowWorkers(): Promise<void> {
  const workers = globalThis.__plugboardFlowWorkers;
  globalThis.__plugboardFlowWorkers = undefined;
  await (await workers?.catch(() => null))?.stop();
}

async function start(options: FlowWorkerOptions): Promise<FlowWorkers> {
  const db = await getDb();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
  const boss = await getQueue({ pollingIntervalSeconds, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds });
  await ensureFlowQueues(boss);
  const controller = new AbortController();

  const workerIds: string[] = [];
  for (let i = 0; i < (options.concurrency ?? 4); i++) {
    let workerId = "";
    workerId = await boss.work<RunJob>(RUN_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
      // pg-boss waits a polling interval after a job with batchSize 1; a worker that just finished one looks again at once.
      boss.notifyWorker(workerId);
      let outcome;
      try {
        outcome = await executeFlowRun(db, job.data.runId, job.id, { ...options.runner, signal: controller.signal });
      } catch (error) {
        // The queue retries the job or hands it to the lost-run queue; keep the reason for the run page.
        const message = safeMessage(error);
        console.error(`[plugboard] flow run ${job.data.runId} failed unexpectedly:`, message);
        await noteRunError(db, job.data.runId, message).catch(() => {});
        throw error;
      }
      if (outcome.kind === "deferred") {
        // At the flow's concurrency limit: queue it again shortly rather than hold a worker waiting.
        await enqueueRun({ runId: job.data.runId, timeoutSeconds: outcome.timeoutSeconds, retries: outcome.retries }, { startAfterSeconds: 1 });
      }
      options.onRunDone?.(job.data.runId, outcome.kind);
    });
    workerIds.push(workerId);
  }
  registerRunWorkers(workerIds);
  await boss.work<RunJob>(LOST_RUN_QUEUE, { pollingIntervalSeconds }, async (jobs) => {
    for (const job of jobs) await markRunLost(db, job.data.runId);
  });
  await boss.work(MAINTENANCE_QUEUE, async () => {
    await pruneFlowRuns(db, new Date());
  });
  await boss.schedule(MAINTENANCE_QUEUE, "23 * * * *");

  let ticking = false;
  const ticker = setInterval(async () => {
    if (ticking) return;
    ticking = true;
    try {
      await runDueSchedules(db, new Date());
    } catch (error) {
      console.error("[plugboard] flow scheduler:", (error as Error).message);
    } finally {
      ticking = false;
    }
  }, options.schedulerIntervalMs ?? 1000);
  ticker.unref();

  return {
    async stop() {
      clearInterval(ticker);
      registerRunWorkers([]);
      await boss.offWork(RUN_QUEUE);
      await boss.offWork(LOST_RUN_QUEUE);
      await boss.offWork(MAINTENANCE_QUEUE);
      controller.abort();
    },
  };
}

/** First line only: a failed query's message goes on to list its parameters, which may hold user data. */
function safeMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (text.startsWith("Failed query")) {
    const cause = (error as { cause?: unknown }).cause;
    return `a database write failed${cause instanceof Error ? ` (${cause.message.split("\n")[0]})` : ""}`;
  }
  return text.split("\n")[0].slice(0, 300);
}
