import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { connectionAlertStates, connections } from "@/db/schema";
import type { AlertEvent } from "./events";
import { enqueueDeliveries } from "./queue";
import { recordAlert } from "./raise";

/** A problem that lasts is reported again at most this often. */
export const REMINDER_INTERVAL_MS = 24 * 3600 * 1000;

type Problem = "failed" | "needs_reauthorization";
const isProblem = (status: string): status is Problem => status === "failed" || status === "needs_reauthorization";

/**
 * Called after anything wrote a connection's status (Verify, a scheduled check, a failed refresh,
 * Reauthorize, an edit): compares the stored status with the one the last alert was about, under a row
 * lock, so concurrent callers raise one alert per change. A problem that is found again raises a
 * reminder when the last alert is a day old; a problem that ends raises "resolved". Idempotent: calling
 * it twice changes nothing, and an alert missed (a crash before this ran) is raised by the next check.
 * Never throws: a failing alert must not fail the Verify that triggered it.
 */
export async function noteConnectionStatus(db: Executor, connectionId: string, now = new Date()): Promise<AlertEvent | null> {
  try {
    const { event, deliveryIds } = await db.transaction(async (tx) => {
      const [connection] = await tx
        .select({
          id: connections.id,
          teamId: connections.teamId,
          name: connections.name,
          status: connections.status,
          message: connections.lastVerifyMessage,
          refreshFailure: connections.refreshFailure,
        })
        .from(connections)
        .where(eq(connections.id, connectionId));
      if (!connection) return { event: null, deliveryIds: [] };
      // A connection never alerted about counts as healthy.
      await tx
        .insert(connectionAlertStates)
        .values({ connectionId, teamId: connection.teamId, status: "verified", notifiedAt: new Date(0) })
        .onConflictDoNothing();
      const [state] = await tx.select().from(connectionAlertStates).where(eq(connectionAlertStates.connectionId, connectionId)).for("update");
      // The status again, now that this caller holds the lock: another caller may have changed it meanwhile.
      const [current] = await tx.select({ status: connections.status }).from(connections).where(eq(connections.id, connectionId));
      const event = decide(state, { ...connection, status: current?.status ?? connection.status }, now);
      if (!event) return { event: null, deliveryIds: [] };
      await tx
        .update(connectionAlertStates)
        .set({ status: event.kind === "connection.resolved" ? "verified" : (current?.status ?? connection.status), notifiedAt: now })
        .where(eq(connectionAlertStates.connectionId, connectionId));
      return { event, deliveryIds: await recordAlert(tx, connection.teamId, event) };
    });
    await enqueueDeliveries(deliveryIds);
    return event;
  } catch (error) {
    console.error("[plugboard] connection alert:", error instanceof Error ? error.message.split("\n")[0] : "unknown error");
    return null;
  }
}

function decide(
  state: { status: string; notifiedAt: Date },
  connection: { id: string; name: string; status: string; message: string | null; refreshFailure: { message: string } | null },
  now: Date,
): AlertEvent | null {
  const ref = { id: connection.id, name: connection.name };
  if (isProblem(connection.status)) {
    const changed = state.status !== connection.status;
    if (!changed && now.getTime() - state.notifiedAt.getTime() < REMINDER_INTERVAL_MS) return null;
    // The words of the latest failure: a refresh's when it found the grant gone, else the last check's.
    const message =
      (connection.status === "needs_reauthorization" ? connection.refreshFailure?.message : undefined) ??
      connection.message ??
      "The last check failed.";
    return connection.status === "failed"
      ? { kind: "connection.failing", connection: ref, message, reminder: !changed }
      : { kind: "connection.needs_reauthorization", connection: ref, message, reminder: !changed };
  }
  if (connection.status === "verified" && isProblem(state.status)) return { kind: "connection.resolved", connection: ref, previous: state.status };
  // "Saved, not checked" after an edit: neither a new problem nor proof that the old one is gone.
  return null;
}
