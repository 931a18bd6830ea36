import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertDeliveries, alertEndpoints, connections } from "@/db/schema";
import { getEnv, resetEnvCache } from "@/lib/config/env";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { generateTestCertificates } from "@/lib/http/testing/certificates";
import { stopQueue } from "@/lib/jobs";
import { changeMemberRole, removeMember } from "@/lib/teams/members";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import {
  channelAvailability,
  createEmailRecipient,
  getPersonalAlerts,
  noteConnectionStatus,
  setPersonalAlerts,
  startAlertWorkers,
  stopAlertWorkers,
} from "./index";
import { enqueueDeliveries } from "./queue";
import { recordAlert } from "./raise";
import { waitForDelivery } from "./testing";

/** A real SMTP server on loopback: STARTTLS with a self-signed certificate, AUTH required, no AUTH before TLS. */
type Delivered = { mail: ParsedMail; to: string[]; user: unknown; secure: boolean };
const delivered: Delivered[] = [];
let server: SMTPServer;
let port: number;
let dir: string;

beforeAll(async () => {
  const { selfSigned } = generateTestCertificates();
  dir = mkdtempSync(path.join(tmpdir(), "plugboard-smtp-"));
  writeFileSync(path.join(dir, "ca.pem"), selfSigned.cert);
  server = new SMTPServer({
    key: selfSigned.key,
    cert: selfSigned.cert,
    authMethods: ["PLAIN", "LOGIN"],
    onAuth(auth, _session, callback) {
      if (auth.username === "alerts" && auth.password === "smtp-pass-1") callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          delivered.push({ mail, to: session.envelope.rcptTo.map((r) => r.address), user: session.user, secure: session.secure });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as { port: number }).port;
  Object.assign(process.env, {
    PLUGBOARD_SMTP_HOST: "127.0.0.1",
    PLUGBOARD_SMTP_PORT: String(port),
    PLUGBOARD_SMTP_TLS: "starttls",
    PLUGBOARD_SMTP_USER: "alerts",
    PLUGBOARD_SMTP_PASSWORD: "smtp-pass-1",
    PLUGBOARD_SMTP_FROM: "plugboard@example.test",
    PLUGBOARD_SMTP_CA_FILE: path.join(dir, "ca.pem"),
    PLUGBOARD_ALERT_RETRY_SECONDS: "1",
    PLUGBOARD_JOBS_SCHEMA: "pgboss_test_alert_email",
  });
  resetEnvCache();
  await startAlertWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopAlertWorkers();
  await stopQueue({ graceful: false });
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  for (const name of [
    "PLUGBOARD_SMTP_HOST",
    "PLUGBOARD_SMTP_PORT",
    "PLUGBOARD_SMTP_USER",
    "PLUGBOARD_SMTP_PASSWORD",
    "PLUGBOARD_SMTP_FROM",
    "PLUGBOARD_SMTP_CA_FILE",
  ])
    delete process.env[name];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("email channel", () => {
  it("sends a short plain email over STARTTLS with AUTH to the team's address and to a member who asked, naming the connection and team, with a link and no secret", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin", "Payments Team");
    const member = await addMember(ctx);
    await createEmailRecipient(db, ctx, { address: "ops@example.test", events: ["connection.failing"] });
    await setPersonalAlerts(db, member, { events: ["connection.failing", "connection.resolved"] });
    expect(await getPersonalAlerts(db, member)).toEqual(["connection.failing", "connection.resolved"]);
    // The admin asked for nothing personally: no email to them.
    expect(await getPersonalAlerts(db, ctx)).toEqual([]);
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "Stripe live", apiKey: "sk_live_secret_42", headerKey: "X-Api-Key", scheme: "None" }),
    );
    await db
      .update(connections)
      .set({ status: "failed", lastVerifyMessage: "Test URL api.example.test answered HTTP 401 (the service refused the connection's credentials)" })
      .where(eq(connections.id, connection.id));
    delivered.length = 0;
    await noteConnectionStatus(db, connection.id);
    const rows = await db.select().from(alertDeliveries).where(eq(alertDeliveries.teamId, ctx.team.id));
    expect(rows).toHaveLength(2);
    for (const row of rows) await waitForDelivery(db, row.id, ["delivered"]);

    expect(delivered.map((d) => d.to[0]).sort()).toEqual(["ops@example.test", member.actor.email].sort());
    for (const { mail, user, secure } of delivered) {
      expect(secure).toBe(true); // upgraded with STARTTLS before AUTH and DATA
      expect(user).toBe("alerts");
      expect(mail.from?.text).toBe("plugboard@example.test");
      expect(mail.subject).toBe('[Plugboard · Payments Team] Connection "Stripe live" is failing');
      expect(mail.html).toBe(false); // plain text only
      expect(mail.text).toContain("HTTP 401");
      expect(mail.text).toContain(`${getEnv().publicUrl}/connections/${connection.id}`);
      expect(mail.text).not.toContain("sk_live_secret_42");
      expect((mail.text ?? "").length).toBeLessThan(600);
    }
  });

  it("personal alerts reach only people still in the team whose role may see what the alert names", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin", "Ops Team");
    const second = await addMember(ctx, "admin");
    const member = await addMember(ctx);
    await setPersonalAlerts(db, second, { events: ["application.secret_expiring", "connection.failing"] });
    await setPersonalAlerts(db, member, { events: ["connection.failing"] });
    // A member cannot choose an alert naming Applications (admins only), and is told at the field.
    await expect(setPersonalAlerts(db, member, { events: ["application.secret_expiring"] })).rejects.toMatchObject({
      fieldErrors: { events: expect.stringMatching(/Only team admins/) },
    });
    const application = { id: crypto.randomUUID(), name: "Billing sync" };
    const secretExpiring = { kind: "application.secret_expiring", application, thresholdDays: 3, expiresOn: "2026-12-03" } as const;
    const failing = {
      kind: "connection.failing",
      connection: { id: crypto.randomUUID(), name: "CRM" },
      message: "HTTP 401",
      reminder: false,
    } as const;
    const recipients = async (event: Parameters<typeof recordAlert>[2]) => {
      const ids = await db.transaction((tx) => recordAlert(tx, ctx.team.id, event));
      await enqueueDeliveries(ids);
      const rows = ids.length ? await db.select().from(alertDeliveries).where(inArray(alertDeliveries.id, ids)) : [];
      const owners = await db
        .select({ id: alertEndpoints.id, userId: alertEndpoints.userId })
        .from(alertEndpoints)
        .where(eq(alertEndpoints.teamId, ctx.team.id));
      for (const row of rows) await waitForDelivery(db, row.id, ["delivered"]);
      return rows.map((r) => owners.find((o) => o.id === r.endpointId)?.userId).sort();
    };
    expect(await recipients(secretExpiring)).toEqual([second.actor.id]);

    // Demoted to member: no more Application alerts, connection alerts still; removed: nothing at all.
    await changeMemberRole(db, ctx, second.actor.id, "member");
    await removeMember(db, ctx, member.actor.id);
    expect(await recipients(secretExpiring)).toEqual([]);
    expect(await recipients(failing)).toEqual([second.actor.id]);
    expect(await getPersonalAlerts(db, { ...second, role: "member" })).toEqual(["connection.failing"]);
  });

  it("a refused SMTP password is a failed delivery in the log, with the server's words", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    await createEmailRecipient(db, ctx, { address: "oncall@example.test", events: ["connection.needs_reauthorization"] });
    const connection = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "Ledger", apiKey: "key-ledger-1", headerKey: "X-Api-Key", scheme: "None" }),
    );
    process.env.PLUGBOARD_SMTP_PASSWORD = "not-the-password";
    resetEnvCache();
    try {
      await db.update(connections).set({ status: "needs_reauthorization" }).where(eq(connections.id, connection.id));
      await noteConnectionStatus(db, connection.id);
      const [row] = await db.select().from(alertDeliveries).where(eq(alertDeliveries.teamId, ctx.team.id));
      const done = await waitForDelivery(db, row.id, ["failed"]);
      expect(done.attempts).toBe(1); // 535 is final: not retried
      expect(done.lastError).toMatch(/Invalid username or password/);
      expect(done.lastError).not.toContain("not-the-password");
    } finally {
      process.env.PLUGBOARD_SMTP_PASSWORD = "smtp-pass-1";
      resetEnvCache();
    }
  });

  it("without SMTP settings the channel is off, says why, and refuses new addresses", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const host = process.env.PLUGBOARD_SMTP_HOST;
    delete process.env.PLUGBOARD_SMTP_HOST;
    resetEnvCache();
    try {
      expect(channelAvailability()).toEqual({ email: expect.stringMatching(/no SMTP server is configured.*PLUGBOARD_SMTP_HOST/), webhook: null });
      await expect(createEmailRecipient(db, ctx, { address: "ops@example.test", events: ["connection.failing"] })).rejects.toThrow(/no SMTP server/);
      await expect(setPersonalAlerts(db, ctx, { events: ["connection.failing"] })).rejects.toThrow(/no SMTP server/);
      // Turning one's own alerts off always works.
      expect(await setPersonalAlerts(db, ctx, { events: [] })).toEqual([]);
    } finally {
      process.env.PLUGBOARD_SMTP_HOST = host;
      resetEnvCache();
    }
  });
});
