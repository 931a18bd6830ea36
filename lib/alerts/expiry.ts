import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { connections } from "@/db/schema";
import { listExpiringConnections } from "@/lib/health/expiring";
import { expiryThreshold } from "@/lib/health/expiry";
import type { AlertEvent } from "./events";
import { raiseAlertOnce } from "./raise";

/**
 * One connection's expiry alert (raiseDueExpiryAlerts calls it for each connection with an Expires on date): raises "connection.expiring" once per threshold per expiry date. A connection found
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
  const key = `expiry:${input.connectionId}:${input.expiresAt.toISOString()}:${thresholdDays}`;
  return raiseAlertOnce(db, input.teamId, key, async (tx) => {
    const [connection] = await tx
      .select({ id: connections.id, name: connections.name })
      .from(connections)
      .where(and(eq(connections.id, input.connectionId), eq(connections.teamId, input.teamId)));
    return connection ? { kind: "connection.expiring", connection, thresholdDays, expiresOn } : null;
  });
}

/**
 * The expiry scan (the alerts' hourly maintenance job, once across instances): every connection within 14 days
 * of its Expires on date gets the alert of the threshold it is within, once (raiseExpiryAlert's "sent" mark).
 * One connection's failure is logged and the scan goes on. Returns how many alerts were raised.
 */
export async function raiseDueExpiryAlerts(db: Database, now = new Date()): Promise<number> {
  let raised = 0;
  for (const connection of await listExpiringConnections(db, now)) {
    try {
      if (await raiseExpiryAlert(db, { teamId: connection.teamId, connectionId: connection.id, expiresAt: connection.expiresAt }, now)) raised++;
    } catch (error) {
      console.error("[plugboard] expiry alert:", (error as Error).message.split("\n")[0]);
    }
  }
  return raised;
}
