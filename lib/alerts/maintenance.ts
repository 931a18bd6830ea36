import "server-only";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { alertDeliveries, connectionAlertStates, connections } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { getQueue } from "@/lib/jobs";
import { noteConnectionStatus, REMINDER_INTERVAL_MS } from "./connection-status";
import { ALERT_ACTOR } from "./raise";
import { DELIVERY_QUEUE, DELIVERY_RETRIES, type DeliveryJob, enqueueDeliveries, ensureAlertQueues } from "./queue";

/** What one pass of the hourly maintenance job looks at, at most (the rest waits for the next hour). */
const BATCH = 500;
/** A pending delivery this old with no live job lost its job (the instance died between commit and queueing). */
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
 * Deliveries recorded but never queued (the transaction committed, then queueing failed or the instance
 * died) would stay pending forever: a pending delivery older than a minute with no job waiting, retrying
 * or running is queued again. One whose tries are used up (its job died on the last one) is marked failed.
 * Returns the ids queued again.
 */
export async function requeueStrandedDeliveries(db: Database, now = new Date()): Promise<string[]> {
  const pending = await db
    .select({ id: alertDeliveries.id, attempts: alertDeliveries.attempts, teamId: alertDeliveries.teamId, endpointId: alertDeliveries.endpointId })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.status, "pending"), lt(alertDeliveries.updatedAt, new Date(now.getTime() - STRANDED_AFTER_MS))))
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
