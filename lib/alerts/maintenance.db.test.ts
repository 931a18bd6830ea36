import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertDeliveries, alertEvents, auditEvents, connectionAlertStates, connections } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { closeHttpAgents } from "@/lib/http";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { getQueue, stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import {
  createWebhookEndpoint,
  noteConnectionStatus,
  REMINDER_INTERVAL_MS,
  remindLastingProblems,
  requeueStrandedDeliveries,
  startAlertWorkers,
  stopAlertWorkers,
} from "./index";
import { ALERT_REQUEUE_QUEUE, enqueueDeliveries } from "./queue";
import { recordAlert } from "./raise";
import { waitForDelivery } from "./testing";

let receiver: LocalServer;
const received: string[] = [];

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  process.env.PLUGBOARD_JOBS_SCHEMA = "pgboss_test_alert_maintenance";
  resetEnvCache();
  receiver = await startLocalServer(async (req, res) => {
    received.push((await readRequestBody(req)).toString("utf8"));
    res.writeHead(200).end();
  });
  await startAlertWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopAlertWorkers();
  await stopQueue({ graceful: false });
  await receiver?.close();
  await closeHttpAgents();
});

async function failingConnection(teamCtx: Awaited<ReturnType<typeof makeTeamContext>>, name: string) {
  const db = await getDb();
  const connection = await createConnection(
    db,
    teamCtx,
    connectionInputSchema.parse({ type: "api_key", name, apiKey: "key-123456", headerKey: "X-Api-Key", scheme: "None" }),
  );
  await db.update(connections).set({ status: "failed", lastVerifyMessage: "Test URL answered HTTP 401" }).where(eq(connections.id, connection.id));
  return connection;
}

describe("daily reminders from the maintenance job", () => {
  it("reminds once a day of a problem nothing checks again, and not of one that ended", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const lasting = await failingConnection(ctx, "Lasting");
    const fixed = await failingConnection(ctx, "Fixed");
    await noteConnectionStatus(db, lasting.id);
    await noteConnectionStatus(db, fixed.id);
    // Fixed without anyone noting it yet: the reminder pass must not remind of it.
    await db.update(connections).set({ status: "verified" }).where(eq(connections.id, fixed.id));
    const kinds = async () =>
      (await db.select().from(alertEvents).where(eq(alertEvents.teamId, ctx.team.id))).map(
        (a) => `${(a.payload as { connection: { name: string } }).connection.name}:${a.kind}:${(a.payload as { reminder?: boolean }).reminder}`,
      );
    expect((await kinds()).sort()).toEqual(["Fixed:connection.failing:false", "Lasting:connection.failing:false"]);

    // Not a day yet: nothing.
    await remindLastingProblems(db);
    expect(await kinds()).toHaveLength(2);
    // A day since the last alert (the rows moved back rather than waiting a day).
    const dayAgo = new Date(Date.now() - REMINDER_INTERVAL_MS - 60_000);
    await db.update(connectionAlertStates).set({ notifiedAt: dayAgo }).where(eq(connectionAlertStates.teamId, ctx.team.id));
    await remindLastingProblems(db);
    await remindLastingProblems(db);
    expect((await kinds()).sort()).toEqual(["Fixed:connection.failing:false", "Lasting:connection.failing:false", "Lasting:connection.failing:true"]);
  });
});

describe("stranded deliveries", () => {
  it("a pending delivery that lost its job is queued again after a minute and delivered; one with a live job is left alone", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await createWebhookEndpoint(db, ctx, { url: `${receiver.url}/hooks`, description: "ops", events: ["connection.failing"] });
    // Recorded and committed, never queued: what an instance dying between commit and enqueue leaves.
    const [stranded] = await db.transaction((tx) => recordAlert(tx, ctx.team.id, { kind: "alert.test", endpointId: endpoint.id }));
    // Under a minute old: it may still be on its way to the queue.
    expect(await requeueStrandedDeliveries(db)).not.toContain(stranded);
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await db.update(alertDeliveries).set({ updatedAt: twoMinutesAgo, createdAt: twoMinutesAgo }).where(eq(alertDeliveries.id, stranded));
    received.length = 0;
    expect(await requeueStrandedDeliveries(db)).toContain(stranded);
    expect(await waitForDelivery(db, stranded, ["delivered", "failed"])).toMatchObject({ status: "delivered", attempts: 1 });
    expect(received).toHaveLength(1);
    expect(await requeueStrandedDeliveries(db)).not.toContain(stranded);
  });

  it("waits out a retry's backoff before calling a delivery stranded, and is looked for every minute", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await createWebhookEndpoint(db, ctx, { url: `${receiver.url}/hooks`, description: "ops", events: ["connection.failing"] });
    const [retrying] = await db.transaction((tx) => recordAlert(tx, ctx.team.id, { kind: "alert.test", endpointId: endpoint.id }));
    // Tried twice, its job since lost: the queue may wait up to 30 s · 2² before the third try, so a minute after that.
    const triedAgo = (seconds: number) =>
      db
        .update(alertDeliveries)
        .set({ attempts: 2, updatedAt: new Date(Date.now() - seconds * 1000) })
        .where(eq(alertDeliveries.id, retrying));
    await triedAgo(150);
    expect(await requeueStrandedDeliveries(db)).not.toContain(retrying);
    await triedAgo(200);
    expect(await requeueStrandedDeliveries(db)).toContain(retrying);
    expect(await waitForDelivery(db, retrying, ["delivered", "failed"])).toMatchObject({ status: "delivered", attempts: 3 });
    // The pass runs every minute (once across instances: a pg-boss schedule), not with the hourly maintenance.
    const schedules = await (await getQueue()).getSchedules(ALERT_REQUEUE_QUEUE);
    expect(schedules.map((s) => s.cron)).toEqual(["* * * * *"]);
  });

  it("is not queued twice while its job waits, and one whose tries are used up is marked failed and audited", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await createWebhookEndpoint(db, ctx, { url: `${receiver.url}/hooks`, description: "ops", events: ["connection.failing"] });
    await stopAlertWorkers(); // the queued job waits: no worker takes it
    try {
      const [queued] = await db.transaction((tx) => recordAlert(tx, ctx.team.id, { kind: "alert.test", endpointId: endpoint.id }));
      await enqueueDeliveries([queued]);
      const [spent] = await db.transaction((tx) => recordAlert(tx, ctx.team.id, { kind: "alert.test", endpointId: endpoint.id }));
      const old = new Date(Date.now() - 120_000);
      await db.update(alertDeliveries).set({ updatedAt: old }).where(eq(alertDeliveries.teamId, ctx.team.id));
      await db.update(alertDeliveries).set({ attempts: 5 }).where(eq(alertDeliveries.id, spent));
      const requeued = await requeueStrandedDeliveries(db);
      expect(requeued).not.toContain(queued);
      expect(requeued).not.toContain(spent);
      expect(await waitForDelivery(db, spent, ["failed"])).toMatchObject({ lastError: "no try left" });
      const audit = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.delivery_failed")));
      expect(audit).toHaveLength(1);
    } finally {
      await startAlertWorkers({ pollingIntervalSeconds: 0.5 });
    }
  });
});
