import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { alertOnceKeys, connections } from "@/db/schema";
import { EXPIRY_THRESHOLDS, type AlertEvent, type ExpiryThreshold } from "./events";
import { enqueueDeliveries } from "./queue";
import { recordAlert } from "./raise";

const DAY_MS = 24 * 3600 * 1000;

/** The smallest threshold (14, 3, 1 days) the expiry date is within, or null when it is further away or past. */
export function expiryThreshold(expiresAt: Date, now: Date): ExpiryThreshold | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const within = EXPIRY_THRESHOLDS.filter((days) => left <= days * DAY_MS);
  return within.length ? within[within.length - 1] : null;
}

/**
 * The expiry scan's entry point (lib/connections' health checks call it for each connection with an
 * Expires on date): raises "connection.expiring" once per threshold per expiry date. A connection found
 * at 2 days left raises the 3-day alert only (never a late 14-day one); the 1-day one follows later.
 * A new expiry date (credentials replaced) starts over. Returns the alert raised, or null.
 */
export async function raiseExpiryAlert(
  db: Database,
  input: { teamId: string; connectionId: string; expiresAt: Date },
  now = new Date(),
): Promise<AlertEvent | null> {
  const thresholdDays = expiryThreshold(input.expiresAt, now);
  if (!thresholdDays) return null;
  const expiresOn = input.expiresAt.toISOString().slice(0, 10);
  const { event, deliveryIds } = await db.transaction(async (tx) => {
    const [connection] = await tx
      .select({ id: connections.id, name: connections.name })
      .from(connections)
      .where(and(eq(connections.id, input.connectionId), eq(connections.teamId, input.teamId)));
    if (!connection) return { event: null, deliveryIds: [] };
    const key = `expiry:${connection.id}:${input.expiresAt.toISOString()}:${thresholdDays}`;
    // The key's row is the "sent" mark: a second scan (or another instance) inserts nothing and raises nothing.
    const marked = await tx.insert(alertOnceKeys).values({ teamId: input.teamId, key }).onConflictDoNothing().returning({ key: alertOnceKeys.key });
    if (marked.length === 0) return { event: null, deliveryIds: [] };
    const event: AlertEvent = { kind: "connection.expiring", connection, thresholdDays, expiresOn };
    return { event, deliveryIds: await recordAlert(tx, input.teamId, event) };
  });
  await enqueueDeliveries(deliveryIds);
  return event;
}
