import type http from "node:http";
import { and, asc, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertDeliveries, alertEndpoints, alertEvents, auditEvents, connections } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection, verifyConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { closeHttpAgents } from "@/lib/http";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { stopQueue } from "@/lib/jobs";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import type { TeamContext } from "@/lib/auth/team-context";
import {
  createWebhookEndpoint,
  deleteAlertEndpoint,
  listDeliveries,
  noteConnectionStatus,
  REMINDER_INTERVAL_MS,
  raiseDueExpiryAlerts,
  raiseExpiryAlert,
  rotateWebhookSecret,
  sendTestAlert,
  setAlertEndpointEnabled,
  updateWebhookEndpoint,
  startAlertWorkers,
  stopAlertWorkers,
} from "./index";
import { attemptDelivery } from "./deliver";
import { recordAlert } from "./raise";
import { waitForDelivery } from "./testing";

/** A webhook receiver that answers the statuses queued for it (then 200) and keeps every request. */
type Received = { url?: string; headers: http.IncomingHttpHeaders; body: string };
let receiver: LocalServer;
const received: Received[] = [];
const answers: number[] = [];
/** The service a connection's Test URL reaches: 200 while healthy, 401 otherwise. */
let service: LocalServer;
let serviceHealthy = true;

beforeAll(async () => {
  // Loopback peers: the same test allowance the executor tests use (the guard refuses loopback otherwise).
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  process.env.PLUGBOARD_ALERT_RETRY_SECONDS = "1";
  process.env.PLUGBOARD_JOBS_SCHEMA = "pgboss_test_alerts";
  resetEnvCache();
  receiver = await startLocalServer(async (req, res) => {
    received.push({ url: req.url, headers: req.headers, body: (await readRequestBody(req)).toString("utf8") });
    res.writeHead(answers.shift() ?? 200).end();
  });
  service = await startLocalServer((_req, res) => {
    res.writeHead(serviceHealthy ? 200 : 401, { "content-type": "application/json" }).end(serviceHealthy ? "{}" : '{"error":"invalid_key"}');
  });
  await startAlertWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopAlertWorkers();
  await stopQueue({ graceful: false });
  await receiver?.close();
  await service?.close();
  await closeHttpAgents();
});

async function webhook(ctx: TeamContext, events: Parameters<typeof createWebhookEndpoint>[2]["events"]) {
  return createWebhookEndpoint(await getDb(), ctx, { url: `${receiver.url}/hooks`, description: "ops", events });
}

async function alertsOf(teamId: string) {
  const db = await getDb();
  return db.select().from(alertEvents).where(eq(alertEvents.teamId, teamId)).orderBy(asc(alertEvents.createdAt));
}

describe("webhook channel", () => {
  it("signs per Standard Webhooks (verified by the standardwebhooks library), retries a 500 and logs each delivery", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint, secret } = await webhook(ctx, ["connection.failing"]);
    expect(secret).toMatch(/^whsec_/);
    received.length = 0;
    answers.push(500, 500);
    const { deliveryId } = await sendTestAlert(db, ctx, endpoint.id);
    const done = await waitForDelivery(db, deliveryId, ["delivered", "failed"]);
    expect(done).toMatchObject({ status: "delivered", attempts: 3, responseStatus: 200, lastError: null });
    expect(received).toHaveLength(3);
    // Same message id on every retry, each one signed anew and accepted by the library's verifier.
    expect(new Set(received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([`msg_${deliveryId}`]));
    for (const r of received) {
      const payload = new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { team: { name: string } } };
      expect(payload.type).toBe("alert.test");
      expect(payload.data.team.name).toBe(ctx.team.name);
    }
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(received[0].body, received[0].headers as Record<string, string>),
    ).toThrow();
    // The secret is stored encrypted, never in clear.
    const stored = await db.select().from(alertDeliveries).where(eq(alertDeliveries.id, deliveryId));
    expect(JSON.stringify(stored)).not.toContain(secret);
    const log = await listDeliveries(db, ctx, endpoint.id);
    expect(log).toEqual([expect.objectContaining({ id: deliveryId, kind: "alert.test", status: "delivered", attempts: 3, responseStatus: 200 })]);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.delivered")));
    expect(audit).toHaveLength(1);
    // Another team cannot read the log or send to the endpoint.
    const other = await makeTeamContext();
    await expect(listDeliveries(db, other, endpoint.id)).rejects.toThrow(/not found/);
    await expect(sendTestAlert(db, other, endpoint.id)).rejects.toThrow(/not found/);
    // A member is not an admin.
    await expect(sendTestAlert(db, await addMember(ctx), endpoint.id)).rejects.toThrow(/admins/);
  });

  it("a failure on the queue's last retry is final and audited; earlier ones stay pending for the retry", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await webhook(ctx, ["connection.failing"]);
    // Recorded but not queued, so this test drives the attempts itself instead of waiting out the backoff.
    const [deliveryId] = await db.transaction((tx) => recordAlert(tx, ctx.team.id, { kind: "alert.test", endpointId: endpoint.id }));
    received.length = 0;
    answers.push(503, 503);
    expect(await attemptDelivery(db, deliveryId, false)).toBe("retry");
    expect(await waitForDelivery(db, deliveryId, ["pending"])).toMatchObject({ attempts: 1, responseStatus: 503 });
    expect(await attemptDelivery(db, deliveryId, true)).toBe("failed");
    expect(await waitForDelivery(db, deliveryId, ["failed"])).toMatchObject({ attempts: 2, lastError: "the endpoint answered HTTP 503" });
    expect(await attemptDelivery(db, deliveryId, true)).toBe("gone");
    expect(received).toHaveLength(2);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.delivery_failed")));
    expect(audit.map((a) => a.metadata)).toEqual([expect.objectContaining({ attempts: 2, responseStatus: 503 })]);
  });

  it("goes through the address guard: a loopback URL is refused without the allowance, and not retried", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await webhook(ctx, ["connection.failing"]);
    process.env.PLUGBOARD_ALLOWED_HOSTS = "";
    resetEnvCache();
    try {
      received.length = 0;
      const { deliveryId } = await sendTestAlert(db, ctx, endpoint.id);
      const done = await waitForDelivery(db, deliveryId, ["delivered", "failed"]);
      expect(done.status).toBe("failed");
      expect(done.attempts).toBe(1);
      expect(done.lastError).toMatch(/address guard/);
      expect(received).toHaveLength(0);
    } finally {
      process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
      resetEnvCache();
    }
  });
});

describe("de-duplication", () => {
  it("one alert per state change, a reminder at most daily, resolved on recovery, all in the audit log", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint, secret } = await webhook(ctx, ["connection.failing", "connection.resolved"]);
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({
        type: "api_key",
        name: "Billing API",
        apiKey: "key-123456",
        headerKey: "X-Api-Key",
        scheme: "None",
        testUrl: `${service.url}/me`,
      }),
    );
    serviceHealthy = false;
    received.length = 0;
    await verifyConnection(db, ctx, connection.id);
    await verifyConnection(db, ctx, connection.id);
    await noteConnectionStatus(db, connection.id);
    expect((await alertsOf(ctx.team.id)).map((a) => a.kind)).toEqual(["connection.failing"]);

    // Still failing a day later: one reminder, then quiet again.
    const [state] = await db.select({ notifiedAt: alertEvents.createdAt }).from(alertEvents).where(eq(alertEvents.teamId, ctx.team.id));
    const dayLater = new Date(state.notifiedAt.getTime() + REMINDER_INTERVAL_MS + 1000);
    expect(await noteConnectionStatus(db, connection.id, new Date(dayLater.getTime() - 2 * 3600 * 1000))).toBeNull();
    expect(await noteConnectionStatus(db, connection.id, dayLater)).toMatchObject({ kind: "connection.failing", reminder: true });
    expect(await noteConnectionStatus(db, connection.id, dayLater)).toBeNull();

    serviceHealthy = true;
    await verifyConnection(db, ctx, connection.id);
    await verifyConnection(db, ctx, connection.id);
    const alerts = await alertsOf(ctx.team.id);
    expect(alerts.map((a) => [a.kind, (a.payload as { reminder?: boolean }).reminder ?? null])).toEqual([
      ["connection.failing", false],
      ["connection.failing", true],
      ["connection.resolved", null],
    ]);
    // Every alert is in the audit log, naming the connection.
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.raised")));
    expect(audit.map((a) => [a.targetId, a.metadata.kind])).toEqual(alerts.map((a) => [connection.id, a.kind]));

    // And each reached the webhook, signed, naming the connection, never its key.
    const deliveries = await db.select().from(alertDeliveries).where(eq(alertDeliveries.endpointId, endpoint.id));
    expect(deliveries).toHaveLength(3);
    for (const d of deliveries) await waitForDelivery(db, d.id, ["delivered"]);
    const types = received.map((r) => (new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string }).type).sort();
    expect(types).toEqual(["connection.failing", "connection.failing", "connection.resolved"]);
    for (const r of received) {
      expect(r.body).toContain("Billing API");
      expect(r.body).not.toContain("key-123456");
    }
  });

  it("needs reauthorization is its own change; concurrent callers raise one alert", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "CRM", apiKey: "key-abcdef", headerKey: "X-Api-Key", scheme: "None" }),
    );
    await db.update(connections).set({ status: "failed", lastVerifyMessage: "Test URL answered HTTP 500" }).where(eq(connections.id, connection.id));
    await Promise.all([1, 2, 3, 4].map(() => noteConnectionStatus(db, connection.id)));
    await db.update(connections).set({ status: "needs_reauthorization" }).where(eq(connections.id, connection.id));
    await Promise.all([1, 2, 3].map(() => noteConnectionStatus(db, connection.id)));
    expect((await alertsOf(ctx.team.id)).map((a) => a.kind)).toEqual(["connection.failing", "connection.needs_reauthorization"]);
  });
});

describe("expiry alerts", () => {
  it("exactly one alert per threshold (14, 3, 1 days), whatever the number of scans", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "Cert", apiKey: "key-xyz123", headerKey: "X-Api-Key", scheme: "None" }),
    );
    const now = new Date("2026-12-01T08:00:00Z");
    const day = 24 * 3600 * 1000;
    const expiresAt = new Date(now.getTime() + 20 * day);
    const scan = (at: number) =>
      raiseExpiryAlert(db, { teamId: ctx.team.id, connectionId: connection.id, expiresAt }, new Date(now.getTime() + at * day));
    expect(await scan(0)).toBeNull(); // 20 days left
    expect(await scan(6.5)).toMatchObject({ kind: "connection.expiring", thresholdDays: 14, expiresOn: "2026-12-21" });
    expect(await scan(7)).toBeNull();
    expect(await scan(18)).toMatchObject({ thresholdDays: 3 }); // 2 days left: the 3-day alert
    await Promise.all([scan(18.5), scan(18.5), scan(18.6)]);
    expect(await scan(19.2)).toMatchObject({ thresholdDays: 1 });
    expect(await scan(19.9)).toBeNull();
    expect(await scan(21)).toBeNull(); // expired: not an "expires soon" alert
    expect((await alertsOf(ctx.team.id)).map((a) => (a.payload as { thresholdDays: number }).thresholdDays)).toEqual([14, 3, 1]);
    // A new expiry date (the credentials were replaced) starts over.
    const renewed = new Date(now.getTime() + 30 * day);
    expect(
      await raiseExpiryAlert(db, { teamId: ctx.team.id, connectionId: connection.id, expiresAt: renewed }, new Date(now.getTime() + 27.5 * day)),
    ).toMatchObject({ thresholdDays: 3 });
    // Another team's id does not reach the connection.
    const other = await makeTeamContext();
    expect(
      await raiseExpiryAlert(db, { teamId: other.team.id, connectionId: connection.id, expiresAt }, new Date(now.getTime() + 19.5 * day)),
    ).toBeNull();
  });
  it("the expiry scan finds a connection from its Expires on date and alerts once for the threshold it is within", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const day = 24 * 3600 * 1000;
    const expiresOn = new Date(Date.now() + 2 * day).toISOString().slice(0, 10);
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "Expiring key", apiKey: "key-xyz123", headerKey: "X-Api-Key", scheme: "None", expiresOn }),
    );
    await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({
        type: "api_key",
        name: "Far key",
        apiKey: "key-abc456",
        headerKey: "X-Api-Key",
        scheme: "None",
        expiresOn: new Date(Date.now() + 60 * day).toISOString().slice(0, 10),
      }),
    );
    await raiseDueExpiryAlerts(db);
    await raiseDueExpiryAlerts(db);
    const alerts = await alertsOf(ctx.team.id);
    expect(alerts.map((a) => a.kind)).toEqual(["connection.expiring"]);
    expect(alerts[0].payload).toMatchObject({ connection: { id: connection.id }, thresholdDays: 3 });
  });
});

describe("endpoints", () => {
  it("deleting an endpoint stops its deliveries and is audited", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await webhook(ctx, ["connection.failing"]);
    await deleteAlertEndpoint(db, ctx, endpoint.id);
    await expect(sendTestAlert(db, ctx, endpoint.id)).rejects.toThrow(/not found/);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.endpoint_deleted")));
    expect(audit).toHaveLength(1);
  });
});

describe("endpoint changes", () => {
  it("an edited URL receives the next alert; a disabled endpoint receives no new alert; all audited, admins only", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint } = await webhook(ctx, ["connection.failing"]);
    const edited = await updateWebhookEndpoint(db, ctx, {
      id: endpoint.id,
      url: `${receiver.url}/moved`,
      description: "pager",
      events: ["connection.failing", "flow.failing"],
    });
    expect(edited).toMatchObject({
      target: `${receiver.url}/moved`,
      description: "pager",
      events: ["connection.failing", "flow.failing"],
      enabled: true,
    });
    await expect(updateWebhookEndpoint(db, await addMember(ctx), { id: endpoint.id, url: receiver.url, events: ["flow.failing"] })).rejects.toThrow(
      /admins/,
    );
    await expect(
      updateWebhookEndpoint(db, await makeTeamContext(), { id: endpoint.id, url: receiver.url, events: ["flow.failing"] }),
    ).rejects.toThrow(/not found/);
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "Moved", apiKey: "key-123456", headerKey: "X-Api-Key", scheme: "None" }),
    );
    const fail = async (status: "failed" | "verified") => {
      await db.update(connections).set({ status }).where(eq(connections.id, connection.id));
      await noteConnectionStatus(db, connection.id);
    };
    received.length = 0;
    await fail("failed");
    const deliveries = () => db.select().from(alertDeliveries).where(eq(alertDeliveries.endpointId, endpoint.id));
    const [first] = await deliveries();
    await waitForDelivery(db, first.id, ["delivered"]);
    expect(received.map((r) => r.url)).toEqual(["/moved"]);

    expect(await setAlertEndpointEnabled(db, ctx, { id: endpoint.id, enabled: false })).toMatchObject({ enabled: false });
    await fail("verified");
    await fail("failed");
    // Both alerts were raised, none went to the disabled endpoint.
    expect((await alertsOf(ctx.team.id)).map((a) => a.kind)).toEqual(["connection.failing", "connection.resolved", "connection.failing"]);
    expect(await deliveries()).toHaveLength(1);
    await setAlertEndpointEnabled(db, ctx, { id: endpoint.id, enabled: true });
    const actions = (
      await db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.targetId, endpoint.id)))
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["alert.endpoint_updated", "alert.endpoint_disabled", "alert.endpoint_enabled"]));
  });

  it("a rotated secret signs beside the previous one for the overlap, then alone (both checked by the standardwebhooks library)", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { endpoint, secret: oldSecret } = await webhook(ctx, ["connection.failing"]);
    const { secret: newSecret, previousSecretValidUntil, endpoint: rotated } = await rotateWebhookSecret(db, ctx, endpoint.id);
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(previousSecretValidUntil.getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(rotated.previousSecretValidUntil).toEqual(previousSecretValidUntil);
    const [stored] = await db.select().from(alertEndpoints).where(eq(alertEndpoints.id, endpoint.id));
    expect(JSON.stringify(stored)).not.toContain(newSecret);
    expect(JSON.stringify(stored)).not.toContain(oldSecret);

    received.length = 0;
    await waitForDelivery(db, (await sendTestAlert(db, ctx, endpoint.id)).deliveryId, ["delivered"]);
    const [during] = received;
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    for (const secret of [oldSecret, newSecret])
      expect(() => new Webhook(secret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();

    // The overlap over: only the new secret signs.
    await db
      .update(alertEndpoints)
      .set({ previousSecretExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(alertEndpoints.id, endpoint.id));
    received.length = 0;
    await waitForDelivery(db, (await sendTestAlert(db, ctx, endpoint.id)).deliveryId, ["delivered"]);
    const [after] = received;
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new Webhook(newSecret).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(after.body, after.headers as Record<string, string>)).toThrow();
    await expect(rotateWebhookSecret(db, await addMember(ctx), endpoint.id)).rejects.toThrow(/admins/);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.endpoint_secret_rotated")));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(newSecret);
  });
});
