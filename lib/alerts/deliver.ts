import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { alertDeliveries, alertEndpoints, alertEvents, teams, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import { channelOf, type DeliveryOutcome } from "./channels";
import type { DeliverableEvent } from "./events";
import { ALERT_ACTOR } from "./raise";

export type DeliveryAttempt = "delivered" | "retry" | "failed" | "gone";

/**
 * One attempt at a delivery: sends it through its channel and records the outcome on the delivery row
 * (the delivery log). `lastTry` is the queue's last retry: a failure then is final and audited.
 * Throws nothing for a failed send; the caller (the queue worker) retries on "retry".
 */
export async function attemptDelivery(db: Database, deliveryId: string, lastTry: boolean): Promise<DeliveryAttempt> {
  const [row] = await db
    .select({
      delivery: alertDeliveries,
      endpoint: alertEndpoints,
      alert: alertEvents,
      team: { id: teams.id, name: teams.name },
      userEmail: users.email,
    })
    .from(alertDeliveries)
    .innerJoin(alertEndpoints, eq(alertEndpoints.id, alertDeliveries.endpointId))
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.alertId))
    .innerJoin(teams, eq(teams.id, alertDeliveries.teamId))
    .leftJoin(users, eq(users.id, alertEndpoints.userId))
    .where(eq(alertDeliveries.id, deliveryId));
  // Deleted with its endpoint, or already done (a job run twice after a worker died).
  if (row?.delivery.status !== "pending") return "gone";
  const channel = channelOf(row.endpoint.channel);
  const outcome: DeliveryOutcome = channel
    ? await channel.deliver({
        deliveryId,
        alertId: row.alert.id,
        createdAt: row.alert.createdAt,
        event: row.alert.payload as DeliverableEvent,
        endpoint: row.endpoint,
        team: row.team,
        userEmail: row.userEmail,
      })
    : { ok: false, error: `unknown channel ${row.endpoint.channel}`, retry: false };
  const status = outcome.ok ? "delivered" : outcome.retry && !lastTry ? "pending" : "failed";
  await db.transaction(async (tx) => {
    await tx
      .update(alertDeliveries)
      .set({
        status,
        attempts: sql`${alertDeliveries.attempts} + 1`,
        responseStatus: outcome.responseStatus ?? null,
        lastError: outcome.ok ? null : postgresSafe(outcome.error).slice(0, 500),
        updatedAt: new Date(),
      })
      .where(and(eq(alertDeliveries.id, deliveryId), eq(alertDeliveries.status, "pending")));
    if (status !== "pending") {
      await recordAudit(tx, {
        teamId: row.team.id,
        actor: ALERT_ACTOR,
        action: status === "delivered" ? "alert.delivered" : "alert.delivery_failed",
        target: { type: "alert_endpoint", id: row.endpoint.id },
        metadata: {
          alertId: row.alert.id,
          kind: row.alert.kind,
          channel: row.endpoint.channel,
          attempts: row.delivery.attempts + 1,
          ...(outcome.responseStatus ? { responseStatus: outcome.responseStatus } : {}),
          ...(outcome.ok ? {} : { error: outcome.error.slice(0, 300) }),
        },
      });
    }
  });
  return status === "pending" ? "retry" : status;
}
