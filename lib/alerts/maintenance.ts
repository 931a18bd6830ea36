import "server-only";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { alertDeliveries, connectionAlertStates, connections } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { getAlertRetrySeconds } from "@/lib/config/env";
import { getQueue } from "@/lib/jobs";
import { noteConnectionStatus, REMINDER_INTERVAL_MS } from "./connection-status";
import { ALERT_ACTOR } from "./raise";
import { DELIVERY_QUEUE, DELIVERY_RETRIES, type DeliveryJob, enqueueDeliveries, ensureAlertQueues } from "./queue";

/** What one pass looks at, at most (the rest waits for the next pass). */
const BATCH = 500;
/** A pending delivery this long past its expected try with no live job lost its job (the instance died between commit and queueing). */
export const STRANDED_AFTER_MS = 60_000;

/**
 * Daily reminders for problems that last: a connection still failing (or still needing reauthorization) a
 * day after its last alert gets a reminder even when nothing checks it again (its schedule is off, or no
 * request touches it). noteConnectionStatus decides under its row lock, so this and a check running at
 * the same time raise one reminder. Returns how many were raised.
 */
export async function remindLastingProblems(db: Database, now = new Date()): Promise<number> {
  const due = await db
    .select({ connectionId: connectionAlertStates.connectionId })
    .from(connectionAlertStates)
    .innerJoin(connections, eq(connections.id, connectionAlertStates.connectionId))
    .where(
      and(
        inArray(connectionAlertStates.status, ["failed", "needs_reauthorization"]),
        eq(connections.status, connectionAlertStates.status),
        lt(connectionAlertStates.notifiedAt, new Date(now.getTime() - REMINDER_INTERVAL_MS)),
      ),
    )
    .orderBy(asc(connectionAlertStates.notifiedAt))
    .limit(BATCH);
  let raised = 0;
  for (const { connectionId } of due) if (await noteConnectionStatus(db, connectionId, now)) raised++;
  return raised;
}

/**
 * When a pending delivery is overdue: a minute after it was recorded or last tried, plus the longest wait the
 * queue's backoff can put before its next try (pg-boss waits between retryDelay·2^(n-1) and retryDelay·2^n
 * after the n-th failed try). Only overdue deliveries are looked up in the queue, so the every-minute pass
 * costs one indexed query while deliveries are simply waiting for their retry.
 */
function overdue(now: Date) {
  const retrySeconds = getAlertRetrySeconds();
  const wait = sql`case when ${alertDeliveries.attempts} between 1 and ${DELIVERY_RETRIES} then ${retrySeconds} * power(2, ${alertDeliveries.attempts}) else 0 end`;
  return sql`${alertDeliveries.updatedAt} < ${now.toISOString()}::timestamptz - make_interval(secs => ${STRANDED_AFTER_MS / 1000} + ${wait})`;
}

/**
 * Deliveries recorded but never queued (the transaction committed, then queueing failed or the instance
 * died) would stay pending forever: an overdue pending delivery with no job waiting, retrying or running is
 * queued again. One whose tries are used up (its job died on the last one) is marked failed. Runs every
 * minute (worker.ts). Returns the ids queued again.
 */
export async function requeueStrandedDeliveries(db: Database, now = new Date()): Promise<string[]> {
  const pending = await db
    .select({ id: alertDeliveries.id, attempts: alertDeliveries.attempts, teamId: alertDeliveries.teamId, endpointId: alertDeliveries.endpointId })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.status, "pending"), overdue(now)))
    .orderBy(asc(alertDeliveries.createdAt))
    .limit(BATCH);
  if (pending.length === 0) return [];
  const boss = await getQueue();
  await ensureAlertQueues(boss);
  const stranded: string[] = [];
  for (const delivery of pending) {
    const jobs = await boss.findJobs<DeliveryJob>(DELIVERY_QUEUE, { data: { deliveryId: delivery.id } satisfies DeliveryJob });
    if (jobs.some((job) => job.state === "created" || job.state === "retry" || job.state === "active")) continue;
    if (delivery.attempts > DELIVERY_RETRIES) {
      await db.transaction(async (tx) => {
        const failed = await tx
          .update(alertDeliveries)
          .set({ status: "failed", lastError: sql`coalesce(${alertDeliveries.lastError}, 'no try left')`, updatedAt: now })
          .where(and(eq(alertDeliveries.id, delivery.id), eq(alertDeliveries.status, "pending")))
          .returning({ id: alertDeliveries.id });
        if (failed.length === 0) return;
        await recordAudit(tx, {
          teamId: delivery.teamId,
          actor: ALERT_ACTOR,
          action: "alert.delivery_failed",
          target: { type: "alert_endpoint", id: delivery.endpointId },
          metadata: { deliveryId: delivery.id, attempts: delivery.attempts, error: "no try left" },
        });
      });
      continue;
    }
    stranded.push(delivery.id);
  }
  await enqueueDeliveries(stranded);
  return stranded;
}
