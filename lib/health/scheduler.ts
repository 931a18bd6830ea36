import "server-only";
import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Database } from "@/db";
import { connections } from "@/db/schema";
import type { StoredConfig } from "@/lib/connections/config";
import { resolveSchedules } from "./health-columns";
import { type HealthPeriods, type HealthSchedule, nextSlotAfter, periodMs } from "./schedule";

/**
 * Finds the health work that is due and claims it. Every app instance calls this every few seconds; an
 * instance takes a slot only after moving the connection's next slot forward with compare-and-set, so each
 * slot (one per connection per period) becomes one job however many instances look. Missed slots (all
 * instances down) are not replayed: the connection is checked once and continues from its next slot.
 */

export type HealthJobKind = "check" | "keep_alive";
export type HealthJob = { kind: HealthJobKind; connectionId: string; teamId: string; slot: string };

/** Rows looked at per pass: bounded work per tick; a backlog drains over the next ticks. */
const BATCH = 100;

const COLUMNS = {
  check: { schedule: connections.checkSchedule, next: connections.nextCheckAt, nextKey: "nextCheckAt" },
  keep_alive: { schedule: connections.keepAlive, next: connections.nextKeepAliveAt, nextKey: "nextKeepAliveAt" },
} as const;

export async function claimDueHealthJobs(db: Database, now: Date, periods: HealthPeriods): Promise<HealthJob[]> {
  await resolveUnscheduled(db, now, periods);
  const jobs: HealthJob[] = [];
  for (const kind of ["check", "keep_alive"] as const) {
    const { schedule, next, nextKey } = COLUMNS[kind];
    const due = await db
      .select({ id: connections.id, teamId: connections.teamId, schedule, next })
      .from(connections)
      .where(and(inArray(schedule, ["hourly", "daily"]), lte(next, now)))
      .orderBy(next)
      .limit(BATCH);
    for (const row of due) {
      if (!row.next) continue;
      const following = nextSlotAfter(row.id, periodMs(row.schedule as Exclude<HealthSchedule, "off">, periods), now);
      const claimed = await db
        .update(connections)
        .set({ [nextKey]: following })
        .where(and(eq(connections.id, row.id), eq(next, row.next)))
        .returning({ id: connections.id });
      if (claimed.length) jobs.push({ kind, connectionId: row.id, teamId: row.teamId, slot: row.next.toISOString() });
    }
  }
  return jobs;
}

/** Connections saved before health schedules existed get theirs (by their type and Test URL) on first sight. */
async function resolveUnscheduled(db: Database, now: Date, periods: HealthPeriods): Promise<void> {
  const rows = await db
    .select({ id: connections.id, config: connections.config })
    .from(connections)
    .where(isNull(connections.checkSchedule))
    .limit(BATCH);
  for (const row of rows) {
    await db
      .update(connections)
      .set(resolveSchedules(row.id, row.config as StoredConfig, now, periods))
      .where(and(eq(connections.id, row.id), isNull(connections.checkSchedule)));
  }
}
