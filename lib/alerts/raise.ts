import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { alertDeliveries, alertEndpoints, alertEvents, alertOnceKeys, memberships } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { channelOf } from "./channels";
import { type AlertEvent, personalAlertKinds, type TestAlertEvent } from "./events";
import { enqueueDeliveries } from "./queue";

/** The actor of every alert row in the audit log. */
export const ALERT_ACTOR = { kind: "system", name: "alerts" } as const;

function subjectOf(event: AlertEvent | TestAlertEvent): { type: string; id: string } {
  if (event.kind === "alert.test") return { type: "alert_endpoint", id: event.endpointId };
  if ("application" in event) return { type: "oauth_client", id: event.application.id };
  return "flow" in event ? { type: "flow", id: event.flow.id } : { type: "connection", id: event.connection.id };
}

/**
 * Each endpoint with, for a personal one, its owner's role in the team now (null once they left): a
 * personal address receives only the kinds that role may see (personalAlertKinds).
 */
async function withPersonalRoles<E extends { userId: string | null }>(tx: Executor, teamId: string, endpoints: E[]) {
  const userIds = endpoints.flatMap((e) => (e.userId ? [e.userId] : []));
  const roles = userIds.length
    ? await tx
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.teamId, teamId), inArray(memberships.userId, userIds)))
    : [];
  return endpoints.map((e) => ({ ...e, role: roles.find((r) => r.userId === e.userId)?.role ?? null }));
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
      : await tx
          .select()
          .from(alertEndpoints)
          .where(
            and(
              eq(alertEndpoints.teamId, teamId),
              eq(alertEndpoints.enabled, true),
              sql`${alertEndpoints.events} @> ${JSON.stringify([event.kind])}::jsonb`,
            ),
          );
  const allowed = (await withPersonalRoles(tx, teamId, endpoints)).filter(
    (e) => e.userId === null || event.kind === "alert.test" || personalAlertKinds(e.role).includes(event.kind),
  );
  const usable = allowed.filter((e) => channelOf(e.channel)?.unavailableReason() === null);
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
      ...(allowed.length > usable.length ? { skippedUnavailableChannel: allowed.length - usable.length } : {}),
      ...(endpoints.length > allowed.length ? { skippedForRole: endpoints.length - allowed.length } : {}),
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
