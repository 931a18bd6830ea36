import "server-only";
import type { PgBoss } from "pg-boss";
import { getDb } from "@/db";
import { getHealthSettings } from "@/lib/config/env";
import { getQueue, type QueueOptions } from "@/lib/jobs";
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

async function ensureHealthQueue(boss: PgBoss): Promise<void> {
  // Two instances creating the queue at once can deadlock (each attaches a partition): the loser tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await boss.getQueue(HEALTH_QUEUE))) await boss.createQueue(HEALTH_QUEUE, { deleteAfterSeconds: FINISHED_JOB_SECONDS });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || (code !== "40P01" && code !== "23505")) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
    }
  }
}

async function start(options: HealthWorkerOptions): Promise<HealthWorkers> {
  const db = await getDb();
  const settings = getHealthSettings();
  const periods = { hourlyMs: settings.hourlyMs, dailyMs: settings.dailyMs };
  const boss = await getQueue({
    pollingIntervalSeconds: options.pollingIntervalSeconds,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
  });
  await ensureHealthQueue(boss);
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
