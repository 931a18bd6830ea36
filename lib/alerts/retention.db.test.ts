import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertDeliveries, alertEndpoints, alertEvents } from "@/db/schema";
import { makeTeamContext } from "@/lib/testing/factories";
import { ALERT_RETENTION_DAYS, DELIVERIES_KEPT_PER_ENDPOINT, pruneAlerts } from "./retention";

describe("alert retention", () => {
  it("keeps an endpoint's newest deliveries and drops alerts older than the retention, with their deliveries", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const endpoint = async () =>
      (
        await db
          .insert(alertEndpoints)
          .values({ teamId: ctx.team.id, channel: "email", target: "ops@example.test", events: ["connection.failing"] })
          .returning()
      )[0];
    const busy = await endpoint();
    const quiet = await endpoint();
    const now = new Date("2026-11-29T12:00:00Z");
    const day = 24 * 3600 * 1000;
    const [recent] = await db
      .insert(alertEvents)
      .values({ teamId: ctx.team.id, kind: "alert.test", payload: {}, createdAt: new Date(now.getTime() - day) })
      .returning();
    const [old] = await db
      .insert(alertEvents)
      .values({ teamId: ctx.team.id, kind: "alert.test", payload: {}, createdAt: new Date(now.getTime() - (ALERT_RETENTION_DAYS + 1) * day) })
      .returning();
    const extra = 5;
    await db.insert(alertDeliveries).values(
      Array.from({ length: DELIVERIES_KEPT_PER_ENDPOINT + extra }, (_, i) => ({
        teamId: ctx.team.id,
        alertId: recent.id,
        endpointId: busy.id,
        createdAt: new Date(now.getTime() - day + i * 1000),
      })),
    );
    await db.insert(alertDeliveries).values([
      { teamId: ctx.team.id, alertId: recent.id, endpointId: quiet.id },
      { teamId: ctx.team.id, alertId: old.id, endpointId: quiet.id },
    ]);
    await pruneAlerts(db, now);
    const count = async (endpointId: string) =>
      (await db.select({ n: sql<number>`count(*)::int` }).from(alertDeliveries).where(eq(alertDeliveries.endpointId, endpointId)))[0].n;
    expect(await count(busy.id)).toBe(DELIVERIES_KEPT_PER_ENDPOINT);
    // The oldest went: the newest one is still there.
    const [newest] = await db.select().from(alertDeliveries).where(eq(alertDeliveries.endpointId, busy.id)).orderBy(sql`created_at desc`).limit(1);
    expect(newest.createdAt.getTime()).toBe(now.getTime() - day + (DELIVERIES_KEPT_PER_ENDPOINT + extra - 1) * 1000);
    expect(await count(quiet.id)).toBe(1);
    expect(await db.select().from(alertEvents).where(eq(alertEvents.id, old.id))).toEqual([]);
  });
});
