import "server-only";
import { getDb } from "@/db";
import { getEnv, getFlowWorkerSettings } from "@/lib/config/env";
import { getQueue, type QueueOptions } from "@/lib/jobs";
import { pruneRequestHistory } from "@/lib/requests/retention";
import { pruneBuilderCookieJars } from "@/lib/requests/builder-cookies";
import { downloadsDir } from "@/lib/requests/run-request";
import { wakeDeferredRuns } from "./deferral";
import { ensureFlowQueues, LOST_RUN_QUEUE, MAINTENANCE_QUEUE, registerRunWorkers, RUN_QUEUE, type RunJob } from "./queue";
import { pruneFlowRuns } from "./retention";
import { executeFlowRun, markRunLost, noteRunError, type RunnerOptions, type RunOutcome } from "./runner";
import { runDueSchedules } from "./scheduler";

/**
 * The flow workers of one process: `concurrency` pg-boss workers on the run queue, one on the lost-run
 * queue (jobs the queue failed for good: dead worker or time limit), the schedule ticker and an hourly
 * prune (old flow runs, request history and its downloads), and a sweep for runs waiting at their flow's
 * concurrency limit. Started once per process from instrumentation.ts; tests and the benchmark start them
 * directly.
 */

export interface FlowWorkerOptions extends QueueOptions {
  /** Runs this process executes at the same time (default PLUGBOARD_FLOW_WORKERS). */
  concurrency?: number;
  /** How often due schedules are checked. */
  schedulerIntervalMs?: number;
  /** How often runs waiting at their flow's concurrency limit are checked for a free slot (a safety net). */
  deferredSweepIntervalMs?: number;
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
  const settings = getFlowWorkerSettings();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? settings.flowPollSeconds;
  const boss = await getQueue({ pollingIntervalSeconds, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds });
  await ensureFlowQueues(boss);
  const controller = new AbortController();

  const workerIds: string[] = [];
  for (let i = 0; i < (options.concurrency ?? settings.flowWorkers); i++) {
    let workerId = "";
    workerId = await boss.work<RunJob>(RUN_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
      // pg-boss waits a polling interval after a job with batchSize 1; a worker that just finished one looks again at once.
      boss.notifyWorker(workerId);
      let outcome: RunOutcome;
      try {
        outcome = await executeFlowRun(db, job.data.runId, job.id, { ...options.runner, signal: controller.signal });
      } catch (error) {
        // The queue retries the job or hands it to the lost-run queue; keep the reason for the run page.
        const message = safeMessage(error);
        console.error(`[plugboard] flow run ${job.data.runId} failed unexpectedly:`, message);
        await noteRunError(db, job.data.runId, message).catch(() => {});
        throw error;
      }
      // A slot of the flow is free: a run waiting at its concurrency limit gets a job now.
      if (outcome.kind === "finished")
        await wakeDeferredRuns(db, outcome.flowId).catch((e) => console.error("[plugboard] waking deferred runs:", (e as Error).message));
      options.onRunDone?.(job.data.runId, outcome.kind);
    });
    workerIds.push(workerId);
  }
  registerRunWorkers(workerIds);
  await boss.work<RunJob>(LOST_RUN_QUEUE, { pollingIntervalSeconds }, async (jobs) => {
    for (const job of jobs) {
      const lost = await markRunLost(db, job.data.runId);
      if (lost) await wakeDeferredRuns(db, lost.flowId);
    }
  });
  await boss.work(MAINTENANCE_QUEUE, async () => {
    const now = new Date();
    await pruneFlowRuns(db, now);
    await pruneRequestHistory(db, { now, limits: getEnv().retention, dir: downloadsDir() });
    await pruneBuilderCookieJars(db, now);
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
  // The safety net for waiting runs whose wake-up was lost (a crash between finishing and waking).
  const sweeper = setInterval(() => {
    wakeDeferredRuns(db).catch((error) => console.error("[plugboard] waking deferred runs:", (error as Error).message));
  }, options.deferredSweepIntervalMs ?? 30_000);
  sweeper.unref();

  return {
    async stop() {
      clearInterval(ticker);
      clearInterval(sweeper);
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
