import "server-only";
import { getDb } from "@/db";
import { getHealthSettings } from "@/lib/config/env";
import { createQueueOnce, getQueue, type QueueOptions } from "@/lib/jobs";
import { type HealthJobOutcome, runHealthJob } from "./run-health-job";
import { claimDueHealthJobs, type HealthJob } from "./scheduler";

/**
 * The health workers of one process: a ticker that claims due checks and keep-alives (scheduler.ts) and
 * queues them on pg-boss, and PLUGBOARD_HEALTH_CHECK_CONCURRENCY workers on that queue, so at most that many
 * checks run at once on this instance (each is an outbound call). Started with the flow workers.
 */

export const HEALTH_QUEUE = "connection-health";
/** A check is one Verify (20 s Test URL timeout, a token call): a job older than this had a dead worker. */
const JOB_EXPIRY_SECONDS = 120;
const FINISHED_JOB_SECONDS = 2 * 24 * 3600;

export interface HealthWorkerOptions extends QueueOptions {
  /** Checks this process runs at once (default PLUGBOARD_HEALTH_CHECK_CONCURRENCY). */
  concurrency?: number;
  /** How often due slots are looked for (default every 5 s). */
  tickIntervalMs?: number;
  /** Called after each job (tests). */
  onJobDone?: (job: HealthJob, outcome: HealthJobOutcome) => void;
}

export interface HealthWorkers {
  stop(): Promise<void>;
}

declare global {
  var __plugboardHealthWorkers: Promise<HealthWorkers> | undefined;
}

export function startHealthWorkers(options: HealthWorkerOptions = {}): Promise<HealthWorkers> {
  return (globalThis.__plugboardHealthWorkers ??= start(options).catch((error) => {
    globalThis.__plugboardHealthWorkers = undefined;
    throw error;
  }));
}

export async function stopHealthWorkers(): Promise<void> {
  const workers = globalThis.__plugboardHealthWorkers;
  globalThis.__plugboardHealthWorkers = undefined;
  await (await workers?.catch(() => null))?.stop();
}

async function start(options: HealthWorkerOptions): Promise<HealthWorkers> {
  const db = await getDb();
  const settings = getHealthSettings();
  const periods = { hourlyMs: settings.hourlyMs, dailyMs: settings.dailyMs };
  const boss = await getQueue({
    pollingIntervalSeconds: options.pollingIntervalSeconds,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
  });
  await createQueueOnce(boss, HEALTH_QUEUE, { deleteAfterSeconds: FINISHED_JOB_SECONDS });
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;

  const workerIds: string[] = [];
  for (let i = 0; i < (options.concurrency ?? settings.checkConcurrency); i++) {
    let workerId = "";
    workerId = await boss.work<HealthJob>(HEALTH_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
      // pg-boss waits a polling interval after a batch of one; look again at once while there is work.
      boss.notifyWorker(workerId);
      const outcome = await runHealthJob(db, job.data);
      options.onJobDone?.(job.data, outcome);
    });
    workerIds.push(workerId);
  }

  // The pass in progress, so stop() lets it finish before the queue closes.
  let tick: Promise<void> | null = null;
  const claimAndQueue = async () => {
    try {
      const jobs = await claimDueHealthJobs(db, new Date(), periods);
      for (const job of jobs) await boss.send(HEALTH_QUEUE, job, { expireInSeconds: JOB_EXPIRY_SECONDS, retryLimit: 0 });
      if (jobs.length) for (const id of workerIds) boss.notifyWorker(id);
    } catch (error) {
      console.error("[plugboard] health scheduler:", (error as Error).message.split("\n")[0]);
    } finally {
      tick = null;
    }
  };
  const ticker = setInterval(() => {
    tick ??= claimAndQueue();
  }, options.tickIntervalMs ?? 5000);
  ticker.unref();

  return {
    async stop() {
      clearInterval(ticker);
      await tick;
      await boss.offWork(HEALTH_QUEUE);
    },
  };
}
