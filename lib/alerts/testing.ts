import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { alertDeliveries, type AlertDeliveryRow } from "@/db/schema";

/** Polls a delivery row until its status is one of `statuses` (tests). */
export async function waitForDelivery(db: Database, deliveryId: string, statuses: string[], timeoutMs = 30_000): Promise<AlertDeliveryRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.select().from(alertDeliveries).where(eq(alertDeliveries.id, deliveryId));
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() > deadline)
      throw new Error(`delivery ${deliveryId} is ${row?.status ?? "missing"}, not ${statuses.join("/")}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
