import "server-only";
import type { PgBoss } from "pg-boss";
import { getAlertRetrySeconds } from "@/lib/config/env";
import { createQueueOnce, getQueue, setUpQueuesOnce } from "@/lib/jobs";

/** Alert deliveries on pg-boss: one job per delivery, retried by the queue with exponential backoff. */

export const DELIVERY_QUEUE = "alert-delivery";
export const ALERT_MAINTENANCE_QUEUE = "alert-maintenance";
/** Every minute: deliveries that lost their job are queued again (maintenance.ts). */
export const ALERT_REQUEUE_QUEUE = "alert-requeue";
/** Tries in all: the first and four retries (30 s, 1 min, 2 min, 4 min with the default first wait). */
export const DELIVERY_RETRIES = 4;

export type DeliveryJob = { deliveryId: string };

export async function ensureAlertQueues(boss: PgBoss): Promise<void> {
  await setUpQueuesOnce(boss, "alerts", async () => {
    for (const name of [DELIVERY_QUEUE, ALERT_MAINTENANCE_QUEUE, ALERT_REQUEUE_QUEUE])
      await createQueueOnce(boss, name, { deleteAfterSeconds: 2 * 24 * 3600 });
  });
}

/** Queues the deliveries (after the transaction that recorded them committed). */
export async function enqueueDeliveries(deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  const boss = await getQueue();
  await ensureAlertQueues(boss);
  await boss.insert(
    DELIVERY_QUEUE,
    deliveryIds.map((deliveryId) => ({
      data: { deliveryId } satisfies DeliveryJob,
      retryLimit: DELIVERY_RETRIES,
      retryDelay: getAlertRetrySeconds(),
      retryBackoff: true,
      expireInSeconds: 60,
    })),
  );
}
