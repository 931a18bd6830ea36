import "server-only";
import { and, asc, gt, lte } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections } from "@/db/schema";
import { EXPIRY_THRESHOLD_DAYS } from "./expiry";

const DAY_MS = 86_400_000;
/** Rows per call: the reminder pass runs again on its next tick for the rest. */
const LIMIT = 1000;

/**
 * Every team's connections whose credential expires within the farthest reminder threshold (14 days) and has
 * not expired yet, nearest first: what the expiry alerts scan (raiseDueExpiryAlerts in lib/alerts/expiry.ts).
 * Not team-scoped: it is for the alerts' background pass, which acts as Plugboard itself.
 */
export async function listExpiringConnections(
  db: Executor,
  now: Date,
): Promise<Array<{ id: string; teamId: string; name: string; expiresAt: Date }>> {
  const horizon = new Date(now.getTime() + Math.max(...EXPIRY_THRESHOLD_DAYS) * DAY_MS);
  const rows = await db
    .select({ id: connections.id, teamId: connections.teamId, name: connections.name, expiresAt: connections.expiresAt })
    .from(connections)
    .where(and(gt(connections.expiresAt, now), lte(connections.expiresAt, horizon)))
    .orderBy(asc(connections.expiresAt))
    .limit(LIMIT);
  return rows.flatMap((r) => (r.expiresAt ? [{ ...r, expiresAt: r.expiresAt }] : []));
}
