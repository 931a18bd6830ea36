import "server-only";
import { lt, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { alertDeliveries, alertEvents, alertOnceKeys } from "@/db/schema";

/** Days an alert and its deliveries are kept; an endpoint's delivery log also keeps at most DELIVERIES_KEPT rows. */
export const ALERT_RETENTION_DAYS = 30;
export const DELIVERIES_KEPT_PER_ENDPOINT = 100;
/** "Sent once" marks outlive any expiry date or flow streak they stand for. */
const ONCE_KEY_DAYS = 400;

export async function pruneAlerts(db: Executor, now = new Date()): Promise<void> {
  const day = 24 * 3600 * 1000;
  await db.delete(alertEvents).where(lt(alertEvents.createdAt, new Date(now.getTime() - ALERT_RETENTION_DAYS * day)));
  await db.execute(sql`
    delete from ${alertDeliveries} d using (
      select id from (
        select id, row_number() over (partition by endpoint_id order by created_at desc, id desc) as n from ${alertDeliveries}
      ) ranked where n > ${DELIVERIES_KEPT_PER_ENDPOINT}
    ) old where d.id = old.id`);
  await db.delete(alertOnceKeys).where(lt(alertOnceKeys.createdAt, new Date(now.getTime() - ONCE_KEY_DAYS * day)));
}
