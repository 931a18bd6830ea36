import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { type AlertEndpointRow, alertDeliveries, alertEndpoints, alertEvents, alertOnceKeys, memberships } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { channelOf } from "./channels";
import { type AlertEvent, type AlertKind, mayReceiveAlert, type TestAlertEvent } from "./events";
import { enqueueDeliveries } from "./queue";

/** The actor of every alert row in the audit log. */
export const ALERT_ACTOR = { kind: "system", name: "alerts" } as const;

function subjectOf(event: AlertEvent | TestAlertEvent): { type: string; id: string } {
  if (event.kind === "alert.test") return { type: "alert_endpoint", id: event.endpointId };
  if ("application" in event) return { type: "oauth_client", id: event.application.id };
  return "flow" in event ? { type: "flow", id: event.flow.id } : { type: "connection", id: event.connection.id };
}

/**
 * The enabled endpoints subscribed to the kind: the team's (chosen by its admins), and members' own while they
 * are still in the team with a role that may see what the kind names (an admin demoted to member stops
 * receiving Application alerts; someone who left the team receives nothing).
 */
async function subscribedEndpoints(tx: Executor, teamId: string, kind: AlertKind): Promise<AlertEndpointRow[]> {
  const rows = await tx
    .select({ endpoint: alertEndpoints, role: memberships.role })
    .from(alertEndpoints)
    .leftJoin(memberships, and(eq(memberships.teamId, alertEndpoints.teamId), eq(memberships.userId, alertEndpoints.userId)))
    .where(
      and(eq(alertEndpoints.teamId, teamId), eq(alertEndpoints.enabled, true), sql`${alertEndpoints.events} @> ${JSON.stringify([kind])}::jsonb`),
    );
  return rows.filter(({ endpoint, role }) => endpoint.userId === null || (role !== null && mayReceiveAlert(role, kind))).map((r) => r.endpoint);
}

/**
 * Records an alert and one pending delivery per endpoint subscribed to its kind (endpoints of a channel
 * this instance cannot use are skipped and counted), with its audit row, in the caller's transaction.
 * Returns the delivery ids, to enqueue once the transaction has committed (enqueueDeliveries).
 */
export async function recordAlert(tx: Executor, teamId: string, event: AlertEvent | TestAlertEvent): Promise<string[]> {
  const [alert] = await tx.insert(alertEvents).values({ teamId, kind: event.kind, payload: event }).returning({ id: alertEvents.id });
  const endpoints =
    event.kind === "alert.test"
      ? await tx
          .select()
          .from(alertEndpoints)
          .where(and(eq(alertEndpoints.teamId, teamId), eq(alertEndpoints.id, event.endpointId)))
      : await subscribedEndpoints(tx, teamId, event.kind);
  const usable = endpoints.filter((e) => channelOf(e.channel)?.unavailableReason() === null);
  const deliveries = usable.length
    ? await tx
        .insert(alertDeliveries)
        .values(usable.map((e) => ({ teamId, alertId: alert.id, endpointId: e.id })))
        .returning({ id: alertDeliveries.id })
    : [];
  await recordAudit(tx, {
    teamId,
    actor: ALERT_ACTOR,
    action: event.kind === "alert.test" ? "alert.test_sent" : "alert.raised",
    target: subjectOf(event),
    metadata: {
      alertId: alert.id,
      kind: event.kind,
      ...("reminder" in event && event.reminder ? { reminder: true } : {}),
      ...("thresholdDays" in event ? { thresholdDays: event.thresholdDays } : {}),
      deliveries: deliveries.length,
      ...(endpoints.length > usable.length ? { skippedUnavailableChannel: endpoints.length - usable.length } : {}),
    },
  });
  return deliveries.map((d) => d.id);
}

/**
 * Raises an alert once per key and queues its deliveries after the commit. The key's row in
 * alert_once_keys is the "sent" mark: a second caller (another scan, another instance) inserts nothing and
 * raises nothing. `build` reads in the same transaction; null raises nothing and marks nothing.
 */
export async function raiseAlertOnce(
  db: Database,
  teamId: string,
  key: string,
  build: (tx: Executor) => AlertEvent | null | Promise<AlertEvent | null>,
): Promise<AlertEvent | null> {
  const { event, deliveryIds } = await db.transaction(async (tx) => {
    const event = await build(tx);
    if (!event) return { event: null, deliveryIds: [] };
    const marked = await tx.insert(alertOnceKeys).values({ teamId, key }).onConflictDoNothing().returning({ key: alertOnceKeys.key });
    if (marked.length === 0) return { event: null, deliveryIds: [] };
    return { event, deliveryIds: await recordAlert(tx, teamId, event) };
  });
  await enqueueDeliveries(deliveryIds);
  return event;
}
