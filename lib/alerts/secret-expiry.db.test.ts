import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertEndpoints, alertEvents, oauthClientSecrets, oauthClients } from "@/db/schema";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { addClientSecret } from "@/lib/oauth-server/client-secrets";
import { makeClient } from "@/lib/oauth-server/test-helpers";
import { getPersonalAlerts, setPersonalAlerts } from "./endpoints";
import { describeAlert } from "./message";
import { raiseDueSecretExpiryAlerts, raiseSecretExpiryAlert } from "./secret-expiry";

const DAY = 86_400_000;

async function alertsOf(teamId: string) {
  const db = await getDb();
  return db.select().from(alertEvents).where(eq(alertEvents.teamId, teamId)).orderBy(asc(alertEvents.createdAt));
}

/** Sets when every secret of the application expires. */
async function expireSecretsAt(applicationId: string, expiresAt: Date | null) {
  await (await getDb()).update(oauthClientSecrets).set({ expiresAt }).where(eq(oauthClientSecrets.clientId, applicationId));
}

describe("client secret expiry alerts", () => {
  it("the hourly scan raises one alert for an application whose last secret expires within 3 days, none while another secret outlives it", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["connections:read"] });
    await expireSecretsAt(app.id, new Date(Date.now() + 2 * DAY));
    const far = await makeClient(ctx, { scopes: ["connections:read"] });
    await expireSecretsAt(far.id, new Date(Date.now() + 60 * DAY));

    await raiseDueSecretExpiryAlerts(db);
    await raiseDueSecretExpiryAlerts(db);
    const alerts = await alertsOf(ctx.team.id);
    expect(alerts.map((a) => a.kind)).toEqual(["application.secret_expiring"]);
    expect(alerts[0].payload).toMatchObject({ application: { id: app.id, name: app.name }, thresholdDays: 3 });
    const words = describeAlert(alerts[0].payload as Parameters<typeof describeAlert>[0], ctx.team, "https://plugboard.example");
    expect(words.subject).toContain(app.name);
    expect(words.link).toBe("https://plugboard.example/team/applications");

    // A second secret that never expires: the application keeps a working secret, so nothing is raised for it.
    const other = await makeClient(ctx, { scopes: ["connections:read"] });
    await expireSecretsAt(other.id, new Date(Date.now() + 2 * DAY));
    // New secrets take the instance default lifetime, which is "never" here.
    expect((await addClientSecret(db, ctx, other.id)).expiresAt).toBeNull();
    await raiseDueSecretExpiryAlerts(db);
    expect((await alertsOf(ctx.team.id)).map((a) => (a.payload as { application: { id: string } }).application.id)).toEqual([app.id]);
  });

  it("one alert per threshold (14, 3, 1 days) per expiry date; none for a private_key_jwt application", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["connections:read"] });
    const now = new Date("2026-12-01T08:00:00Z");
    const expiresAt = new Date(now.getTime() + 20 * DAY);
    const scan = (at: number) =>
      raiseSecretExpiryAlert(db, { teamId: ctx.team.id, applicationId: app.id, expiresAt }, new Date(now.getTime() + at * DAY));
    expect(await scan(0)).toBeNull();
    expect(await scan(6.5)).toMatchObject({ kind: "application.secret_expiring", thresholdDays: 14, expiresOn: "2026-12-21" });
    expect(await scan(7)).toBeNull();
    expect(await scan(19.2)).toMatchObject({ thresholdDays: 1 });
    expect(await scan(21)).toBeNull();

    const keyed = await makeClient(ctx, { scopes: ["connections:read"] });
    await expireSecretsAt(keyed.id, new Date(Date.now() + 2 * DAY));
    await db
      .update(oauthClients)
      .set({ authMethod: "private_key_jwt", jwksUri: "https://keys.example/jwks.json" })
      .where(eq(oauthClients.id, keyed.id));
    await raiseDueSecretExpiryAlerts(db);
    expect((await alertsOf(ctx.team.id)).some((a) => (a.payload as { application: { id: string } }).application.id === keyed.id)).toBe(false);
  });

  it("is for admins: a member cannot choose it as a personal email alert, nor sees it chosen once demoted", async () => {
    const db = await getDb();
    const admin = await makeTeamContext();
    const member = await addMember(admin, "member");
    await expect(setPersonalAlerts(db, member, { events: ["application.secret_expiring"] })).rejects.toThrow(/Only team admins/);

    // Chosen while an admin (written directly: whether this instance can send email does not matter here).
    const endpoint = { teamId: admin.team.id, channel: "email", createdBy: member.actor.id };
    await db.insert(alertEndpoints).values([
      { ...endpoint, userId: member.actor.id, events: ["application.secret_expiring", "connection.failing"] },
      { ...endpoint, userId: admin.actor.id, events: ["application.secret_expiring"] },
    ]);
    expect(await getPersonalAlerts(db, member)).toEqual(["connection.failing"]);
    // Whether a demoted admin is still sent it: lib/alerts/email.db.test.ts (delivered by a real SMTP server).
  });
});
