import { X509Certificate } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertEvents, connections } from "@/db/schema";
import { raiseDueExpiryAlerts, raiseExpiryAlert } from "@/lib/alerts";
import { createConnection, getConnection, replaceConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { type ClientCertificateFixtures, generateClientCertificates } from "@/lib/http/testing/certificates";
import { removeMember } from "@/lib/teams/members";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { listExpiringConnections } from "./expiring";
import { attentionBanner, attentionSummary, countNeedsAttention, dismissAttentionBanner, listNeedsAttention } from "./needs-attention";

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
let certs: ClientCertificateFixtures;

beforeAll(() => {
  // Its client certificate is issued for 2 days.
  certs = generateClientCertificates();
});

describe("expiry dates", () => {
  it("reads a client certificate's expiry from the certificate, PEM or PKCS#12, and keeps the earlier typed date", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const notAfter = new Date(new X509Certificate(certs.client.cert).validTo);
    const pem = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "mTLS", apiKey: "k", tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key }),
    );
    expect((await getConnection(db, ctx, pem.id)).health.expiresAt?.getTime()).toBe(notAfter.getTime());
    const p12 = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({
        type: "basic",
        name: "Bundle",
        username: "u",
        password: "p",
        tlsPkcs12: certs.pkcs12.toString("base64"),
        tlsPassphrase: certs.pkcs12Passphrase,
        expiresOn: dateIn(30),
      }),
    );
    expect((await getConnection(db, ctx, p12.id)).health.expiresAt?.getTime()).toBe(notAfter.getTime());
    // A typed date earlier than the certificate's wins; an edit without one clears it.
    const typed = connectionInputSchema.parse({ type: "api_key", name: "Key", apiKey: "k", expiresOn: dateIn(1) });
    const key = await createConnection(db, ctx, typed);
    expect((await getConnection(db, ctx, key.id)).health.expiresAt?.toISOString().slice(0, 10)).toBe(dateIn(1));
    await replaceConnection(db, ctx, key.id, { ...typed, expiresOn: "" });
    expect((await getConnection(db, ctx, key.id)).health.expiresAt).toBeNull();
    expect(() => connectionInputSchema.parse({ ...typed, expiresOn: "2026-02-30" })).toThrow(/date/);
  });

  it("lists the connections near expiry for the reminders", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const cert = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({ type: "api_key", name: "Cert", apiKey: "k", tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key }),
    );
    await createConnection(db, ctx, connectionInputSchema.parse({ type: "api_key", name: "Far", apiKey: "k", expiresOn: dateIn(60) }));
    const near = (await listExpiringConnections(db, new Date())).filter((c) => c.teamId === ctx.team.id);
    expect(near.map((c) => c.id)).toEqual([cert.id]);
  });
});

describe("needs attention", () => {
  it("lists failed, refused and expiring connections with why and what to do, counts them, and pages", async () => {
    const db = await getDb();
    const admin = await makeTeamContext();
    const member = await addMember(admin, "member");
    await createConnection(
      db,
      admin,
      connectionInputSchema.parse({ type: "api_key", name: "Cert", apiKey: "k", tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key }),
    );
    const failed = await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Rotated", apiKey: "k" }));
    await db
      .update(connections)
      .set({ status: "failed", lastVerifyMessage: "Test URL api.example.com answered HTTP 401" })
      .where(eq(connections.id, failed.id));
    await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Fine", apiKey: "k", expiresOn: dateIn(40) }));
    expect(await countNeedsAttention(db, admin)).toBe(2);

    const page = await listNeedsAttention(db, member);
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.connection.name)).toEqual(["Rotated", "Cert"]);
    const [rotated, cert] = page.items;
    expect(rotated.problems[0]).toMatchObject({ reason: "check_failed", action: "edit", why: expect.stringContaining("HTTP 401") });
    expect(cert.problems[0]).toMatchObject({ reason: "expiring", action: "edit", why: expect.stringMatching(/expires in 2 days/) });
    // The member did not set them up: told who did.
    expect(cert.problems[0].todo).toContain(`${admin.actor.name} set it up`);
    // A creator who left the team cannot be asked: the admins are named instead.
    const leaving = await addMember(admin);
    await createConnection(db, leaving, connectionInputSchema.parse({ type: "api_key", name: "Left behind", apiKey: "k", expiresOn: dateIn(1) }));
    await removeMember(db, admin, leaving.actor.id);
    const left = (await listNeedsAttention(db, member)).items.find((i) => i.connection.name === "Left behind");
    expect(left?.problems[0].todo).toContain(`Ask an admin (${admin.actor.name})`);
    await db.delete(connections).where(and(eq(connections.teamId, admin.team.id), eq(connections.name, "Left behind")));

    for (let i = 0; i < 23; i++) {
      await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: `Soon ${i}`, apiKey: "k", expiresOn: dateIn(5) }));
    }
    const second = await listNeedsAttention(db, admin, { page: 2 });
    expect(second).toMatchObject({ total: 25, page: 2, pageCount: 2 });
    expect(second.items).toHaveLength(5);
    // Another team sees none of them.
    expect(await countNeedsAttention(db, await makeTeamContext())).toBe(0);
  });

  it("a certificate that expires in 2 days needs attention and raises exactly one alert per threshold", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const input = { type: "api_key", name: "Mutual TLS", apiKey: "k", tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key };
    const cert = await createConnection(db, ctx, connectionInputSchema.parse(input));
    const page = await listNeedsAttention(db, ctx);
    expect(page.items.map((i) => [i.connection.name, i.problems.map((p) => p.why)])).toEqual([
      ["Mutual TLS", [expect.stringMatching(/expires in 2 days/)]],
    ]);
    // The hourly scan, again and again: the 3-day alert once (never a late 14-day one).
    await raiseDueExpiryAlerts(db);
    await raiseDueExpiryAlerts(db);
    const expiresAt = (await getConnection(db, ctx, cert.id)).health.expiresAt as Date;
    // Under a day left (this connection alone: a scan of the whole database in the future would alert other files' connections).
    const later = new Date(expiresAt.getTime() - 0.8 * DAY);
    for (let i = 0; i < 3; i++) await raiseExpiryAlert(db, { teamId: ctx.team.id, connectionId: cert.id, expiresAt }, later);
    const alerts = await db.select().from(alertEvents).where(eq(alertEvents.teamId, ctx.team.id)).orderBy(asc(alertEvents.createdAt));
    expect(alerts.map((a) => [a.kind, (a.payload as { thresholdDays: number }).thresholdDays])).toEqual([
      ["connection.expiring", 3],
      ["connection.expiring", 1],
    ]);
  });

  it("shows the banner until dismissed, per user, and again when a new problem appears", async () => {
    const db = await getDb();
    const admin = await makeTeamContext();
    const member = await addMember(admin, "member");
    expect(await attentionBanner(db, admin)).toEqual({ show: false, count: 0 });
    await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Soon", apiKey: "k", expiresOn: dateIn(3) }));
    expect(await attentionBanner(db, admin)).toEqual({ show: true, count: 1 });
    await dismissAttentionBanner(db, admin);
    expect((await attentionBanner(db, admin)).show).toBe(false);
    expect((await attentionBanner(db, member)).show).toBe(true);
    const next = await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Broken", apiKey: "k" }));
    await db.update(connections).set({ status: "failed" }).where(eq(connections.id, next.id));
    expect(await attentionBanner(db, admin)).toEqual({ show: true, count: 2 });
  });

  it("answers the navigation's count and the banner together, as the two questions do apart", async () => {
    const db = await getDb();
    const admin = await makeTeamContext();
    expect(await attentionSummary(db, admin)).toEqual({ count: 0, banner: { show: false, count: 0 } });
    const soon = await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Soon", apiKey: "k", expiresOn: dateIn(3) }));
    const broken = await createConnection(
      db,
      admin,
      connectionInputSchema.parse({ type: "api_key", name: "Broken", apiKey: "k", expiresOn: dateIn(2) }),
    );
    await db.update(connections).set({ status: "failed" }).where(eq(connections.id, broken.id));
    await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Fine", apiKey: "k" }));
    await dismissAttentionBanner(db, admin);
    expect(await attentionSummary(db, admin)).toEqual({ count: 2, banner: { show: false, count: 2 } });
    // The expiry read back from the query's JSON decides the reason: once expired, it is a new problem.
    const afterExpiry = new Date(Date.now() + 4 * DAY);
    expect(await attentionSummary(db, admin, afterExpiry)).toEqual({ count: 2, banner: { show: true, count: 2 } });
    await db.update(connections).set({ status: "verified", expiresAt: null }).where(eq(connections.id, soon.id));
    expect(await attentionSummary(db, admin)).toEqual({ count: 1, banner: { show: false, count: 1 } });
    expect(await countNeedsAttention(db, admin)).toBe(1);
  });

  it("without a dismissal, shows the banner for every connection the count finds, the window's last instant included", async () => {
    const db = await getDb();
    const admin = await makeTeamContext();
    const now = new Date("2026-06-01T12:00:00.000Z");
    const edge = await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Edge", apiKey: "k" }));
    const past = await createConnection(db, admin, connectionInputSchema.parse({ type: "api_key", name: "Past", apiKey: "k" }));
    await db
      .update(connections)
      .set({ expiresAt: new Date(now.getTime() + 14 * DAY) })
      .where(eq(connections.id, edge.id));
    await db.update(connections).set({ expiresAt: now }).where(eq(connections.id, past.id));
    // The banner without a dismissal counts on the query and attentionReasons agreeing: each row found has a reason.
    const listed = await listNeedsAttention(db, admin, { now });
    expect(listed.items.map((i) => [i.connection.name, i.problems.map((p) => p.reason)])).toEqual([
      ["Past", ["expired"]],
      ["Edge", ["expiring"]],
    ]);
    expect(await attentionSummary(db, admin, now)).toEqual({ count: 2, banner: { show: true, count: 2 } });
  });
});
