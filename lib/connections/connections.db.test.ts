import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connections } from "@/db/schema";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import type { TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { executeHttpRequest } from "@/lib/http";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { makeTeamContext } from "@/lib/testing/factories";
import {
  callbackUrl,
  completeAuthorization,
  createConnection,
  deleteConnection,
  getConnection,
  getCredentialProvider,
  listConnections,
  listTokenEvents,
  replaceConnection,
  startAuthorization,
  startReauthorization,
  verifyConnection,
} from "./index";
import { connectionInputSchema, type ConnectionFormValues } from "./schemas";

let oauth: OAuthTestServer;
let bin: string;
const allowedTargets = parseAllowedHosts("127.0.0.1");

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  bin = process.env.HTTPBIN_URL as string;
  oauth = await startOAuthTestServer({ autoApprove: true, redirectUris: [callbackUrl()] });
});
afterAll(async () => {
  await oauth?.stop();
  await closeHttpAgents();
});

const input = (values: ConnectionFormValues) => connectionInputSchema.parse(values);

function authCode(name: string, overrides: Partial<Extract<ConnectionFormValues, { type: "oauth2_code" }>> = {}) {
  const c = oauth.clients.authCodeBasic;
  return input({
    type: "oauth2_code",
    name,
    authorizeUrl: oauth.authorizeUrl,
    tokenUrl: oauth.tokenUrl,
    scopes: "openid offline_access read:things",
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuth: c.clientAuth,
    testUrl: oauth.resourceUrl,
    issuer: oauth.issuer,
    issParameterSupported: true,
    ...overrides,
  });
}

function clientCredentials(name: string, which: "clientCredentialsBasic" | "clientCredentialsPost", placement: "header" | "query" | "both") {
  const c = oauth.clients[which];
  return input({
    type: "oauth2_client_credentials",
    name,
    tokenUrl: oauth.tokenUrl,
    scopes: "read:things",
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuth: c.clientAuth,
    tokenPlacement: placement,
    testUrl: oauth.resourceUrl,
  });
}

/** Creates an authorization-code connection through consent and the callback, as the browser would. */
async function connectViaConsent(ctx: TeamContext, name: string): Promise<string> {
  const db = await getDb();
  const { redirectUrl } = await startAuthorization(db, ctx, { mode: "create", input: authCode(name) });
  const back = await driveAuthorization(redirectUrl);
  const outcome = await completeAuthorization(db, ctx.actor.id, new URL(back));
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.connectionId;
}

describe("api key and basic auth connections", () => {
  it("without a Test URL are saved, not checked: Verify sends nothing and never shows them as verified", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id } = await createConnection(db, ctx, input({ type: "api_key", name: "Unchecked", apiKey: "a-wrong-key-nobody-checked" }));
    const result = await verifyConnection(db, ctx, id);
    expect(result.message).toMatch(/^Saved, not checked: nothing was sent\. Add a Test URL/);
    const detail = await getConnection(db, ctx, id);
    expect(detail).toMatchObject({ status: "never_verified", lastVerifyOk: null });
    expect(detail.lastVerifiedAt).not.toBeNull();
  });

  it("apply their credentials, store them encrypted and never return them", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const apiKey = "api-key-SECRET-7f3a9c";
    const { id } = await createConnection(
      db,
      ctx,
      input({ type: "api_key", name: "Key", apiKey, headerKey: "X-API-Key", scheme: "None", testUrl: `${bin}/headers` }),
    );
    const password = "pw-SECRET-2b8e1d";
    const basic = await createConnection(db, ctx, input({ type: "basic", name: "Basic", username: "ada", password, testUrl: `${bin}/headers` }));
    const wrong = await createConnection(
      db,
      ctx,
      input({ type: "basic", name: "Wrong", username: "ada", password: "wrong-pass", testUrl: `${bin}/basic-auth/ada/right-pass` }),
    );

    const [row] = await db.select().from(connections).where(eq(connections.id, id));
    expect(row.credentials).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(apiKey);
    expect(JSON.stringify(await listConnections(db, ctx))).not.toContain(apiKey);
    expect(JSON.stringify(await getConnection(db, ctx, basic.id))).not.toContain(password);
    // The edit form gets the settings and empty secret fields (the client certificate's too), never a secret.
    expect((await getConnection(db, ctx, id)).formDefaults).toMatchObject({ headerKey: "X-API-Key", scheme: "None", apiKey: "", tlsPrivateKey: "" });

    const { provider } = await getCredentialProvider(db, ctx, id);
    const echoed = await executeHttpRequest({ url: `${bin}/headers` }, { provider, allowedTargets });
    expect(echoed).toMatchObject({ ok: true, status: 200, output: { headers: { "X-Api-Key": apiKey } } });

    expect(await verifyConnection(db, ctx, basic.id)).toMatchObject({ ok: true, message: expect.stringContaining("HTTP 200") });
    expect(await verifyConnection(db, ctx, wrong.id)).toMatchObject({ ok: false, message: expect.stringContaining("answered HTTP 401") });
    expect((await getConnection(db, ctx, wrong.id)).status).toBe("failed");
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.teamId, ctx.team.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["connection.created", "connection.verified"]));
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it("builds Bearer, Basic and query-parameter placements and refuses hosts outside the allowed domains", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const mk = async (name: string, extra: Partial<Extract<ConnectionFormValues, { type: "api_key" }>>) =>
      (await createConnection(db, ctx, input({ type: "api_key", name, apiKey: "k-123456", testUrl: `${bin}/get`, ...extra }))).id;
    const headersOf = async (id: string) => {
      const { provider } = await getCredentialProvider(db, ctx, id);
      const url = new URL(`${bin}/get`);
      const headers = new Headers();
      await provider.apply({ method: "GET", url, headers }, { forceRefresh: false });
      return { auth: headers.get("authorization"), url: url.href };
    };
    expect((await headersOf(await mk("bearer", { scheme: "Bearer" }))).auth).toBe("Bearer k-123456");
    expect((await headersOf(await mk("basic", { scheme: "Basic" }))).auth).toBe("Basic k-123456");
    expect((await headersOf(await mk("query", { placement: "query", queryParamName: "api_key" }))).url).toContain("api_key=k-123456");

    const { provider } = await getCredentialProvider(db, ctx, await mk("narrow", { allowedDomains: "*.example.com" }));
    const refused = await executeHttpRequest({ url: `${bin}/get` }, { provider, allowedTargets });
    expect(refused).toMatchObject({ ok: false, kind: "host_not_allowed" });
  });

  it("keeps names unique per team and a failed edit leaves the original working", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const first = await createConnection(db, ctx, input({ type: "basic", name: "Jira", username: "u", password: "original-pass" }));
    await createConnection(db, ctx, input({ type: "basic", name: "Other", username: "u", password: "x-pass" }));
    await expect(createConnection(db, ctx, input({ type: "basic", name: "jira", username: "u", password: "p" }))).rejects.toThrow("already exists");
    await expect(replaceConnection(db, ctx, first.id, input({ type: "basic", name: "Other", username: "u2", password: "new-pass" }))).rejects.toThrow(
      "already exists",
    );
    const { provider } = await getCredentialProvider(db, ctx, first.id);
    const headers = new Headers();
    await provider.apply({ method: "GET", url: new URL("https://x.test"), headers }, { forceRefresh: false });
    expect(headers.get("authorization")).toBe(`Basic ${Buffer.from("u:original-pass").toString("base64")}`);

    await replaceConnection(db, ctx, first.id, input({ type: "basic", name: "Jira", username: "u2", password: "new-pass" }));
    const again = new Headers();
    await (await getCredentialProvider(db, ctx, first.id)).provider.apply(
      { method: "GET", url: new URL("https://x.test"), headers: again },
      { forceRefresh: false },
    );
    expect(again.get("authorization")).toBe(`Basic ${Buffer.from("u2:new-pass").toString("base64")}`);
  });
});

describe("another team", () => {
  it("cannot list, read, use, edit, verify, reauthorize or delete the connection", async () => {
    const db = await getDb();
    const owner = await makeTeamContext();
    const stranger = await makeTeamContext();
    const { id } = await createConnection(db, owner, input({ type: "basic", name: "Private", username: "u", password: "p-secret" }));
    expect(await listConnections(db, stranger)).toEqual([]);
    await expect(getConnection(db, stranger, id)).rejects.toThrow("was not found");
    await expect(getCredentialProvider(db, stranger, id)).rejects.toThrow("was not found");
    await expect(verifyConnection(db, stranger, id)).rejects.toThrow("was not found");
    await expect(replaceConnection(db, stranger, id, input({ type: "basic", name: "Mine", username: "u", password: "p" }))).rejects.toThrow(
      "was not found",
    );
    await expect(startReauthorization(db, stranger, id)).rejects.toThrow("was not found");
    await expect(deleteConnection(db, stranger, id)).rejects.toThrow("was not found");
    expect(await listTokenEvents(db, stranger, id)).toEqual([]);
    expect((await getConnection(db, owner, id)).name).toBe("Private");
  });
});

describe("client credentials", () => {
  it("caches the token until expiry and places it as configured, with both client authentication methods", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    for (const [which, placement] of [
      ["clientCredentialsBasic", "header"],
      ["clientCredentialsPost", "query"],
      ["clientCredentialsBasic", "both"],
    ] as const) {
      oauth.resetEvents();
      const { id } = await createConnection(db, ctx, clientCredentials(`cc-${placement}`, which, placement));
      const { provider } = await getCredentialProvider(db, ctx, id);
      for (let i = 0; i < 3; i++) {
        const r = await executeHttpRequest({ url: oauth.resourceUrl }, { provider, allowedTargets });
        expect(r).toMatchObject({ ok: true, status: 200, output: { token: { location: placement } } });
      }
      expect(oauth.countGrants("client_credentials")).toBe(1);
      const token = oauth.events.find((e) => e.type === "token");
      expect(token).toMatchObject({ clientAuth: oauth.clients[which].clientAuth, status: 200 });
    }
  });
});

describe("token failures", () => {
  it("retries a transient failure, reports it in words and does not ask for reauthorization", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const c = oauth.clients.clientCredentialsBasic;
    const { id } = await createConnection(
      db,
      ctx,
      input({
        type: "oauth2_client_credentials",
        name: "Down",
        tokenUrl: "http://127.0.0.1:1/token",
        clientId: c.clientId,
        clientSecret: c.clientSecret,
      }),
    );
    const result = await verifyConnection(db, ctx, id);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("Could not reach 127.0.0.1:1") });
    expect(result.message).not.toContain(c.clientSecret);
    expect((await getConnection(db, ctx, id)).status).toBe("failed");
    const [event] = await listTokenEvents(db, ctx, id);
    expect(event).toMatchObject({ kind: "refresh_failed", message: expect.stringContaining("(3 attempts)") });
  });
});

describe("authorization code", () => {
  it("connects through consent and the callback; a replayed, tampered or foreign state is refused", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { redirectUrl } = await startAuthorization(db, ctx, { mode: "create", input: authCode("Things") });
    const authorize = new URL(redirectUrl);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const back = new URL(await driveAuthorization(redirectUrl));

    const tampered = new URL(back);
    tampered.searchParams.set("state", `${back.searchParams.get("state")}x`);
    expect(await completeAuthorization(db, ctx.actor.id, tampered)).toMatchObject({
      ok: false,
      message: expect.stringContaining("invalid, expired or was already used"),
    });

    const done = await completeAuthorization(db, ctx.actor.id, back);
    expect(done).toMatchObject({ ok: true });
    expect(await completeAuthorization(db, ctx.actor.id, back)).toMatchObject({ ok: false, message: expect.stringContaining("already used") });

    const other = await makeTeamContext();
    const second = await startAuthorization(db, ctx, { mode: "create", input: authCode("Things 2") });
    const secondBack = new URL(await driveAuthorization(second.redirectUrl));
    expect(await completeAuthorization(db, other.actor.id, secondBack)).toMatchObject({
      ok: false,
      message: expect.stringContaining("another user"),
    });
    // Another user opening the callback URL did not consume the state: its owner still completes the consent.
    expect(await completeAuthorization(db, ctx.actor.id, secondBack)).toMatchObject({ ok: true });

    const [listed] = (await listConnections(db, ctx)).filter((c) => c.name === "Things");
    expect(listed).toMatchObject({ name: "Things", status: "verified", type: "oauth2_code" });
    expect(listed.grantedScopes).toEqual(expect.arrayContaining(["read:things"]));
    expect(listed.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    if (!done.ok) return;
    expect(await verifyConnection(db, ctx, done.connectionId)).toMatchObject({ ok: true });
    expect((await listTokenEvents(db, ctx, done.connectionId)).map((e) => e.kind)).toEqual(["issued"]);
  });

  it("checks the callback's iss against the connection's Issuer (RFC 9207), and ignores it when no Issuer is set", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { redirectUrl } = await startAuthorization(db, ctx, {
      mode: "create",
      input: authCode("Issuer checked", { issParameterSupported: false }),
    });
    const forged = new URL(await driveAuthorization(redirectUrl));
    expect(forged.searchParams.get("iss")).toBe(oauth.issuer);
    forged.searchParams.set("iss", "https://attacker.example");
    expect(await completeAuthorization(db, ctx.actor.id, forged)).toMatchObject({ ok: false, message: expect.stringContaining("iss check failed") });
    expect(await listConnections(db, ctx)).toEqual([]);

    // Without an Issuer there is nothing trustworthy to compare with: the same forged iss passes.
    const unchecked = await startAuthorization(db, ctx, {
      mode: "create",
      input: authCode("Issuer unknown", { issuer: "", issParameterSupported: false }),
    });
    const back = new URL(await driveAuthorization(unchecked.redirectUrl));
    back.searchParams.set("iss", "https://attacker.example");
    expect(await completeAuthorization(db, ctx.actor.id, back)).toMatchObject({ ok: true });
  });

  it("shows a provider's access_denied in words and saves nothing", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { redirectUrl } = await startAuthorization(db, ctx, { mode: "create", input: authCode("Denied") });
    const state = new URL(redirectUrl).searchParams.get("state")!;
    const denied = new URL(
      `${callbackUrl()}?error=access_denied&error_description=The+user+denied+the+request&state=${state}&iss=${encodeURIComponent(oauth.issuer)}`,
    );
    const outcome = await completeAuthorization(db, ctx.actor.id, denied);
    expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining("Access was denied") });
    expect(await listConnections(db, ctx)).toEqual([]);
  });

  it("refreshes an expired token exactly once for 20 parallel uses and saves the rotated refresh token", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const id = await connectViaConsent(ctx, "Parallel");
    await db
      .update(connections)
      .set({ tokenExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(connections.id, id));
    oauth.resetEvents();
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const { provider } = await getCredentialProvider(db, ctx, id);
        return executeHttpRequest({ url: oauth.resourceUrl }, { provider, allowedTargets });
      }),
    );
    expect(oauth.countGrants("refresh_token")).toBe(1);
    expect(results.every((r) => r.ok && r.status === 200)).toBe(true);
    // The rotated refresh token was stored: the next refresh works.
    await db
      .update(connections)
      .set({ tokenExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(connections.id, id));
    expect(await verifyConnection(db, ctx, id)).toMatchObject({ ok: true });
    expect(oauth.countGrants("refresh_token")).toBe(2);
    expect((await listTokenEvents(db, ctx, id)).map((e) => e.kind)).toEqual(["refreshed", "refreshed", "issued"]);
  });

  it("refreshes once on a 401 and marks a revoked grant 'needs reauthorization', which Reauthorize fixes", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const id = await connectViaConsent(ctx, "Revocable");
    oauth.expireAccessTokens();
    oauth.resetEvents();
    expect(await verifyConnection(db, ctx, id)).toMatchObject({ ok: true });
    expect(oauth.countGrants("refresh_token")).toBe(1);

    oauth.expireAccessTokens();
    oauth.revokeRefreshTokens({ clientId: oauth.clients.authCodeBasic.clientId });
    const failed = await verifyConnection(db, ctx, id);
    expect(failed).toMatchObject({ ok: false, message: expect.stringContaining("needs reauthorization") });
    expect((await getConnection(db, ctx, id)).status).toBe("needs_reauthorization");
    const [latest] = await listTokenEvents(db, ctx, id);
    expect(latest).toMatchObject({ kind: "refresh_failed", message: expect.stringContaining("revoked or expired") });
    // Not retried per request: the provider is not asked again until someone reauthorizes.
    expect((await verifyConnection(db, ctx, id)).ok).toBe(false);
    expect(oauth.countGrants("refresh_token")).toBe(2);

    const { redirectUrl } = await startReauthorization(db, ctx, id);
    const back = await driveAuthorization(redirectUrl);
    expect(await completeAuthorization(db, ctx.actor.id, new URL(back))).toMatchObject({ ok: true, connectionId: id });
    expect(await getConnection(db, ctx, id)).toMatchObject({ status: "verified" });
    expect(await verifyConnection(db, ctx, id)).toMatchObject({ ok: true });
  });

  it("keeps the original when an edit's consent fails", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const id = await connectViaConsent(ctx, "Stable");
    const { redirectUrl } = await startAuthorization(db, ctx, { mode: "edit", connectionId: id, input: authCode("Stable renamed") });
    const state = new URL(redirectUrl).searchParams.get("state")!;
    const denied = new URL(`${callbackUrl()}?error=access_denied&state=${state}&iss=${encodeURIComponent(oauth.issuer)}`);
    expect(await completeAuthorization(db, ctx.actor.id, denied)).toMatchObject({
      ok: false,
      message: expect.stringContaining("keeps its previous credentials"),
    });
    expect(await getConnection(db, ctx, id)).toMatchObject({ name: "Stable", status: "verified" });
    expect(await verifyConnection(db, ctx, id)).toMatchObject({ ok: true });
  });
});
