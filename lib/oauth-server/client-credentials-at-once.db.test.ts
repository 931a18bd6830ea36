import { and, eq, sql } from "drizzle-orm";
import { Client } from "pg";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, oauthClientSecrets, oauthClients, oauthTokens, rateLimits } from "@/db/schema";
import { actorColumns, applicationActor } from "@/lib/auth/actor";
import { makeTeamContext } from "@/lib/testing/factories";
import { issueClientCredentialsAtOnce } from "./client-credentials-at-once";
import { CLIENT_AUTH_LIMITS, LAST_USED_RESOLUTION_SECONDS } from "./config";
import { hashSecret } from "./secrets";
import { basic, formRequest, makeClient, randomIp } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";

const postgres = process.env.PLUGBOARD_TEST_DB === "postgres";

const attempt = (authorization: string, params: Record<string, string> = {}, ip = randomIp()) => ({
  headers: new Headers({ authorization }),
  params: new Map(Object.entries({ grant_type: "client_credentials", ...params })),
  ip,
});

const post = async (request: Request) => handleTokenRequest(await getDb(), request);
const clientRow = async (id: string) => (await (await getDb()).select().from(oauthClients).where(eq(oauthClients.id, id)))[0];
const issuedAudit = async (teamId: string) =>
  (await getDb())
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.teamId, teamId), eq(auditEvents.action, "oauth.token_issued")));

describe("client_credentials in one statement", () => {
  it("writes the token row and the audit row recordAudit would write, and records the use", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["audit.log:read", "connections:read"] });
    const ip = randomIp();
    const issued = await issueClientCredentialsAtOnce(
      await getDb(),
      attempt(basic(app.clientId, app.clientSecret), { scope: "connections:read" }, ip),
    );
    expect(issued).toMatchObject({ accessToken: expect.stringMatching(/^pbat_/), expiresIn: 899, scopes: ["connections:read"] });

    const [token] = await (await getDb())
      .select()
      .from(oauthTokens)
      .where(eq(oauthTokens.tokenHash, hashSecret(issued!.accessToken)));
    expect(token).toMatchObject({ kind: "access", clientId: app.id, teamId: ctx.team.id, userId: null, grantId: null, scopes: ["connections:read"] });
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBeCloseTo(899_000, -3);

    const client = await clientRow(app.id);
    const [audit] = await issuedAudit(ctx.team.id);
    expect(audit).toMatchObject({
      ...actorColumns(applicationActor(client)),
      targetType: "oauth_client",
      targetId: app.id,
      ip,
      metadata: { clientId: app.clientId, grantType: "client_credentials", scopes: ["connections:read"], refreshToken: false },
    });
    expect(client.lastUsedAt).not.toBeNull();
  });

  it("issues the client's registered scopes when none are asked for", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["audit.log:read", "connections:read"] });
    const issued = await issueClientCredentialsAtOnce(await getDb(), attempt(basic(app.clientId, app.clientSecret)));
    expect(issued?.scopes).toEqual(["audit.log:read", "connections:read"]);
  });

  it("leaves to the full path (and writes nothing) whatever is not plainly right", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["connections:read"] });
    const code = await makeClient(ctx, { grantType: "authorization_code" });
    const db = await getDb();
    // Waiting for an admin's approval (issue 19): the full path refuses it as unauthorized_client.
    const waiting = await makeClient(ctx, { scopes: ["connections:read"] });
    await db.update(oauthClients).set({ approvedAt: null }).where(eq(oauthClients.id, waiting.id));
    const refused = [
      attempt(basic(app.clientId, "wrong-secret")),
      attempt(basic("pbc_unknown", app.clientSecret)),
      attempt(basic(app.clientId, app.clientSecret), { scope: "audit.log:read" }),
      attempt(basic(app.clientId, app.clientSecret), { scope: 'bad"scope' }),
      attempt("Basic !!!"),
      // Registered for client_secret_basic; the same credentials in the body are the other method.
      {
        ...attempt(""),
        headers: new Headers(),
        params: new Map([
          ["client_id", app.clientId],
          ["client_secret", app.clientSecret],
        ]),
      },
      attempt(basic(code.clientId, code.clientSecret)),
      attempt(basic(waiting.clientId, waiting.clientSecret)),
    ];
    for (const request of refused) expect(await issueClientCredentialsAtOnce(db, request)).toBeNull();
    const tokens = await db.select().from(oauthTokens).where(eq(oauthTokens.teamId, ctx.team.id));
    expect(tokens).toHaveLength(0);
    expect(await issuedAudit(ctx.team.id)).toHaveLength(0);
    expect((await clientRow(app.id)).lastUsedAt).toBeNull();
  });

  it("refuses even the right secret while the client or the address is over its failure limit", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const db = await getDb();
    const ip = randomIp();
    await db.insert(rateLimits).values({ key: `oauth-client-auth:ip:${ip}`, windowStart: new Date(), count: CLIENT_AUTH_LIMITS.ip.limit });
    expect(await issueClientCredentialsAtOnce(db, attempt(basic(app.clientId, app.clientSecret), {}, ip))).toBeNull();

    await db
      .insert(rateLimits)
      .values({ key: `oauth-client-auth:client:${app.clientId}`, windowStart: new Date(), count: CLIENT_AUTH_LIMITS.client.limit });
    expect(await issueClientCredentialsAtOnce(db, attempt(basic(app.clientId, app.clientSecret)))).toBeNull();
    // A window that has ended no longer counts.
    await db
      .update(rateLimits)
      .set({ windowStart: new Date(Date.now() - (CLIENT_AUTH_LIMITS.client.windowSeconds + 5) * 1000) })
      .where(eq(rateLimits.key, `oauth-client-auth:client:${app.clientId}`));
    expect(await issueClientCredentialsAtOnce(db, attempt(basic(app.clientId, app.clientSecret)))).not.toBeNull();
  });

  it("still counts failures at the endpoint and answers 429 after the limit, even to the right secret", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const ip = randomIp();
    const request = (secret: string) =>
      post(formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, secret), "x-forwarded-for": ip }));
    for (let i = 0; i < CLIENT_AUTH_LIMITS.client.limit; i++) expect((await request(`wrong-${i}`)).status).toBe(401);
    const [counter] = await (await getDb())
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, `oauth-client-auth:client:${app.clientId}`));
    expect(counter.count).toBe(CLIENT_AUTH_LIMITS.client.limit);
    expect((await request(app.clientSecret)).status).toBe(429);
    expect(await issuedAudit(ctx.team.id)).toHaveLength(0);
  });

  it(`records last_used_at at most once per ${LAST_USED_RESOLUTION_SECONDS} s, and never later than that after a use`, async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const db = await getDb();
    const setLastUsed = (secondsAgo: number) =>
      db
        .update(oauthClients)
        .set({ lastUsedAt: sql`now() - make_interval(secs => ${secondsAgo})` })
        .where(eq(oauthClients.id, app.id));
    const issue = () => issueClientCredentialsAtOnce(db, attempt(basic(app.clientId, app.clientSecret)));

    await setLastUsed(10);
    const recent = (await clientRow(app.id)).lastUsedAt!;
    expect(await issue()).not.toBeNull();
    expect((await clientRow(app.id)).lastUsedAt).toEqual(recent);

    // The record is fresh for about 50 s more: until then this process does not ask to record the use
    // (even if the row were older meanwhile, which only this test can make it)...
    await setLastUsed(LAST_USED_RESOLUTION_SECONDS + 5);
    const old = (await clientRow(app.id)).lastUsedAt!;
    expect(await issue()).not.toBeNull();
    expect((await clientRow(app.id)).lastUsedAt).toEqual(old);
    // ...and once they have passed, it does.
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + (LAST_USED_RESOLUTION_SECONDS - 10) * 1000 + 1000);
    try {
      expect(await issue()).not.toBeNull();
    } finally {
      vi.restoreAllMocks();
    }
    const updated = (await clientRow(app.id)).lastUsedAt!;
    expect(updated.getTime()).toBeGreaterThan(old.getTime() + LAST_USED_RESOLUTION_SECONDS * 1000);
  });

  it("checks the secret on every token, also while the use need not be recorded", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const db = await getDb();
    const issue = () => issueClientCredentialsAtOnce(db, attempt(basic(app.clientId, app.clientSecret)));
    expect(await issue()).not.toBeNull();
    await db.update(oauthClientSecrets).set({ revokedAt: new Date() }).where(eq(oauthClientSecrets.clientId, app.id));
    expect(await issue()).toBeNull();
  });

  it.skipIf(!postgres)("never waits for a lock another transaction holds on the client row", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const other = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await other.connect();
    try {
      await other.query("begin");
      // The lock another token request's last_used_at update holds (an UPDATE of a non-key column).
      await other.query("select 1 from oauth_clients where id = $1 for no key update", [app.id]);
      const answered = post(
        formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
      );
      const outcome = await Promise.race([answered.then((r) => r.status), new Promise((r) => setTimeout(() => r("waited"), 5000))]);
      expect(outcome).toBe(200);
      expect((await clientRow(app.id)).lastUsedAt).toBeNull();
    } finally {
      await other.query("rollback");
      await other.end();
    }
    // The use is recorded by the next token request once the row is free (the skipped update is not
    // taken for a fresh record).
    expect(await issueClientCredentialsAtOnce(await getDb(), attempt(basic(app.clientId, app.clientSecret)))).not.toBeNull();
    expect((await clientRow(app.id)).lastUsedAt).not.toBeNull();
  });
});
