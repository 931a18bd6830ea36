import "server-only";
import type { JobResult, JobWithMetadata } from "pg-boss";
import { getDb } from "@/db";
import { getQueue } from "@/lib/jobs";
import { attemptDelivery } from "./deliver";
import { raiseDueExpiryAlerts } from "./expiry";
import { raiseDueSecretExpiryAlerts } from "./secret-expiry";
import { remindLastingProblems, requeueStrandedDeliveries } from "./maintenance";
import { ALERT_MAINTENANCE_QUEUE, ALERT_REQUEUE_QUEUE, DELIVERY_QUEUE, type DeliveryJob, ensureAlertQueues } from "./queue";
import { pruneAlerts } from "./retention";

/**
 * The alert delivery workers of one process (started from instrumentation.ts beside the flow workers):
 * a delivery that should be tried again throws, so pg-boss retries it with backoff; the last retry's
 * failure is final. A job every minute (once across instances) queues again deliveries that lost their job; an
 * hourly one sends the daily reminders of lasting problems, raises the due expiry alerts and prunes old alerts
 * and delivery logs.
 */

export interface AlertWorkers {
  stop(): Promise<void>;
}

declare global {
  var __plugboardAlertWorkers: Promise<AlertWorkers> | undefined;
}

export function startAlertWorkers(options: { pollingIntervalSeconds?: number } = {}): Promise<AlertWorkers> {
  return (globalThis.__plugboardAlertWorkers ??= start(options).catch((error) => {
    globalThis.__plugboardAlertWorkers = undefined;
    throw error;
  }));
}

export async function stopAlertWorkers(): Promise<void> {
  const workers = globalThis.__plugboardAlertWorkers;
  globalThis.__plugboardAlertWorkers = undefined;
  await (await workers?.catch(() => null))?.stop();
}

async function start(options: { pollingIntervalSeconds?: number }): Promise<AlertWorkers> {
  const db = await getDb();
  const boss = await getQueue();
  await ensureAlertQueues(boss);
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  // Each job of the batch has its own result: pg-boss retries only the ones that failed.
  // (No explicit type argument: it would stop TypeScript inferring the options that pick the per-job handler.)
  await boss.work(
    DELIVERY_QUEUE,
    { pollingIntervalSeconds, batchSize: 4, includeMetadata: true, perJobResults: true },
    (jobs: JobWithMetadata<DeliveryJob>[]) =>
      Promise.all(
        jobs.map(async (job): Promise<JobResult> => {
          try {
            const outcome = await attemptDelivery(db, job.data.deliveryId, job.retryCount >= job.retryLimit);
            return { id: job.id, status: outcome === "retry" ? "failed" : "completed" };
          } catch (error) {
            console.error("[plugboard] alert delivery:", (error as Error).message.split("\n")[0]);
            return { id: job.id, status: "failed" };
          }
        }),
      ),
  );
  // Stranded deliveries every minute: an alert whose job was lost waits minutes, not an hour.
  await boss.work(ALERT_REQUEUE_QUEUE, async () => {
    await requeueStrandedDeliveries(db);
  });
  await boss.schedule(ALERT_REQUEUE_QUEUE, "* * * * *");
  await boss.work(ALERT_MAINTENANCE_QUEUE, async () => {
    await remindLastingProblems(db);
    await raiseDueExpiryAlerts(db);
    await raiseDueSecretExpiryAlerts(db);
    await pruneAlerts(db);
  });
  await boss.schedule(ALERT_MAINTENANCE_QUEUE, "41 * * * *");
  return {
    async stop() {
      await boss.offWork(DELIVERY_QUEUE);
      await boss.offWork(ALERT_MAINTENANCE_QUEUE);
      await boss.offWork(ALERT_REQUEUE_QUEUE);
    },
  };
}
