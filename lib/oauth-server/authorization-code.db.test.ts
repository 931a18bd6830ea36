import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, memberships, oauthCodes, oauthTokens } from "@/db/schema";
import { authenticateBearer } from "@/lib/api/bearer";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import type { TeamContext } from "@/lib/auth/team-context";
import { checkAuthorizationRequest } from "./authorize";
import { decideConsent, listUserConsents, revokeConsent } from "./consents";
import { hashSecret } from "./secrets";
import { basic, formRequest, makeClient, pkcePair } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";

const REDIRECT = "https://client.example/callback";

async function authorize(ctx: TeamContext, app: Awaited<ReturnType<typeof makeClient>>, overrides: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "st-123",
    scope: "audit.log:read",
    ...overrides,
  });
  const check = await checkAuthorizationRequest(await getDb(), query);
  if (check.kind !== "consent") throw new Error(`expected consent, got ${JSON.stringify(check)}`);
  const { client, ...rest } = check.request;
  const decision = await decideConsent(await getDb(), {
    ticket: { ...rest, clientRowId: client.id, userId: ctx.actor.id },
    approve: true,
    user: ctx.actor,
    ip: "127.0.0.1",
  });
  if (decision.kind !== "redirect") throw new Error(decision.message);
  const url = new URL(decision.url);
  return { code: url.searchParams.get("code")!, verifier, url };
}

async function exchange(app: { clientId: string; clientSecret: string }, params: Record<string, string>) {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", params, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const bearer = async (token: string) => authenticateBearer(await getDb(), new Headers({ authorization: `Bearer ${token}` }), "127.0.0.1");
const live = async (token: string) => !("status" in (await bearer(token)));

describe("GET /oauth2/authorize checks", () => {
  it("never redirects to an unregistered URI or for an unknown client, and redirects other errors with state and iss", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code", redirectUris: REDIRECT });
    const check = (params: Record<string, string>) => checkAuthorizationRequest(getDbSync!, new URLSearchParams(params));
    const getDbSync = await getDb();
    const base = {
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      response_type: "code",
      code_challenge: pkcePair().challenge,
      code_challenge_method: "S256",
      state: "s1",
    };
    expect((await check({ ...base, client_id: "pbc_nope" })).kind).toBe("page");
    expect((await check({ ...base, redirect_uri: `${REDIRECT}/other` })).kind).toBe("page");
    expect((await check({ ...base, redirect_uri: "https://client.example/callback?x=1" })).kind).toBe("page");
    const ccApp = await makeClient(ctx);
    expect((await check({ ...base, client_id: ccApp.clientId })).kind).toBe("page");

    const errorOf = async (params: Record<string, string>) => {
      const result = await check(params);
      if (result.kind !== "redirect") throw new Error(`expected redirect, got ${result.kind}`);
      const url = new URL(result.url);
      expect(url.origin + url.pathname).toBe(REDIRECT);
      expect(url.searchParams.get("state")).toBe("s1");
      expect(url.searchParams.get("iss")).toBe("http://localhost:3000");
      return url.searchParams.get("error");
    };
    const { code_challenge: _c, ...noChallenge } = base;
    expect(await errorOf(noChallenge)).toBe("invalid_request");
    expect(await errorOf({ ...base, code_challenge_method: "plain" })).toBe("invalid_request");
    expect(await errorOf({ ...base, response_type: "token" })).toBe("unsupported_response_type");
    expect(await errorOf({ ...base, scope: "requests:run" })).toBe("invalid_scope");
    expect((await check({ ...base, scope: "audit.log:read" })).kind).toBe("consent");

    // RFC 6749 §4.1.2.1: the redirected error_description has only the allowed characters and stays short.
    const unknown = Array.from({ length: 200 }, (_, i) => `x:${i}:${"y".repeat(500)}`).join(" ");
    const refused = await check({ ...base, scope: unknown });
    if (refused.kind !== "redirect") throw new Error(`expected redirect, got ${refused.kind}`);
    const description = new URL(refused.url).searchParams.get("error_description")!;
    expect(description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
    expect(description).toContain("and 197 more");
    expect(description.length).toBeLessThanOrEqual(300);
  });

  it("sends access_denied back when the user denies, and audits it", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const ticket = {
      clientRowId: app.id,
      userId: ctx.actor.id,
      redirectUri: REDIRECT,
      redirectUriSent: true,
      scopes: ["audit.log:read"],
      resource: null,
      state: "xyz",
      codeChallenge: pkcePair().challenge,
    };
    const result = await decideConsent(await getDb(), { ticket, approve: false, user: ctx.actor, ip: null as never });
    expect(result.kind).toBe("redirect");
    const url = new URL((result as { url: string }).url);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ error: "access_denied", state: "xyz", iss: "http://localhost:3000" });
    const rows = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "oauth.consent_denied")));
    expect(rows).toHaveLength(1);
  });
});

describe("authorization_code and refresh_token grants", () => {
  it("exchanges a code once with PKCE; a replay is refused and revokes what the code issued", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const { code, verifier, url } = await authorize(ctx, app);
    expect(url.searchParams.get("state")).toBe("st-123");
    expect(url.searchParams.get("iss")).toBe("http://localhost:3000");
    const [stored] = await (await getDb())
      .select()
      .from(oauthCodes)
      .where(eq(oauthCodes.codeHash, hashSecret(code)));
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(120_000);

    const first = await exchange(app, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: "Bearer", scope: "audit.log:read", refresh_token: expect.stringMatching(/^pbrt_/) });
    expect(await live(first.body.access_token)).toBe(true);

    const replay = await exchange(app, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await live(first.body.access_token)).toBe(false);
    const refresh = await exchange(app, { grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(refresh.body.error).toBe("invalid_grant");
  });

  it("refuses a wrong verifier, a different redirect_uri, an expired code and another client's code", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const other = await makeClient(ctx, { grantType: "authorization_code" });
    const db = await getDb();

    const a = await authorize(ctx, app);
    expect(
      (await exchange(app, { grant_type: "authorization_code", code: a.code, code_verifier: pkcePair().verifier, redirect_uri: REDIRECT })).body
        .error,
    ).toBe("invalid_grant");
    // The failed attempt consumed the code: the right verifier no longer helps.
    expect(
      (await exchange(app, { grant_type: "authorization_code", code: a.code, code_verifier: a.verifier, redirect_uri: REDIRECT })).body.error,
    ).toBe("invalid_grant");

    const b = await authorize(ctx, app);
    expect(
      (
        await exchange(app, {
          grant_type: "authorization_code",
          code: b.code,
          code_verifier: b.verifier,
          redirect_uri: "https://client.example/other",
        })
      ).body.error,
    ).toBe("invalid_grant");
    const b2 = await authorize(ctx, app);
    expect((await exchange(app, { grant_type: "authorization_code", code: b2.code, code_verifier: b2.verifier })).body.error).toBe("invalid_grant");

    const c = await authorize(ctx, app);
    await db
      .update(oauthCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(oauthCodes.codeHash, hashSecret(c.code)));
    expect(
      (await exchange(app, { grant_type: "authorization_code", code: c.code, code_verifier: c.verifier, redirect_uri: REDIRECT })).body.error,
    ).toBe("invalid_grant");

    const d = await authorize(ctx, app);
    expect(
      (await exchange(other, { grant_type: "authorization_code", code: d.code, code_verifier: d.verifier, redirect_uri: REDIRECT })).body.error,
    ).toBe("invalid_grant");
    // …and the rightful client can still use it.
    expect((await exchange(app, { grant_type: "authorization_code", code: d.code, code_verifier: d.verifier, redirect_uri: REDIRECT })).status).toBe(
      200,
    );
    expect((await exchange(app, { grant_type: "authorization_code", code_verifier: d.verifier, redirect_uri: REDIRECT })).body.error).toBe(
      "invalid_request",
    );
  });

  it("rotates refresh tokens, binds them to the client, and revokes the grant when an old one is reused", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const other = await makeClient(ctx, { grantType: "authorization_code" });
    const { code, verifier } = await authorize(ctx, app);
    const first = (await exchange(app, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT })).body;

    expect((await exchange(other, { grant_type: "refresh_token", refresh_token: first.refresh_token })).body.error).toBe("invalid_grant");
    expect((await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token, scope: "connections:read" })).body.error).toBe(
      "invalid_scope",
    );
    const second = await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(await live(second.body.access_token)).toBe(true);

    const reuse = await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(reuse.body.error).toBe("invalid_grant");
    expect(await live(second.body.access_token)).toBe(false);
    expect(await live(first.access_token)).toBe(false);
    expect((await exchange(app, { grant_type: "refresh_token", refresh_token: second.body.refresh_token })).body.error).toBe("invalid_grant");
    const revoked = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "oauth.token_revoked")));
    expect(revoked.map((r) => r.metadata.reason)).toContain("refresh_token_reused");
  });

  it("narrows only the new access token when a refresh asks for less scope; the new refresh token keeps the grant's (RFC 6749 §6)", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const { code, verifier } = await authorize(ctx, app, { scope: "audit.log:read connections:read" });
    const first = (await exchange(app, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT })).body;
    expect(first.scope).toBe("audit.log:read connections:read");
    const refreshScopes = async (token: string) =>
      (
        await (
          await getDb()
        )
          .select({ scopes: oauthTokens.scopes })
          .from(oauthTokens)
          .where(eq(oauthTokens.tokenHash, hashSecret(token)))
      )[0].scopes;

    const narrowed = await exchange(app, { grant_type: "refresh_token", refresh_token: first.refresh_token, scope: "connections:read" });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("connections:read");
    expect(await bearer(narrowed.body.access_token)).toMatchObject({ scopes: ["connections:read"] });
    expect(await refreshScopes(narrowed.body.refresh_token)).toEqual(["audit.log:read", "connections:read"]);

    // The narrowed refresh's successor still carries the whole grant: the next refresh can ask for it back.
    const widened = await exchange(app, { grant_type: "refresh_token", refresh_token: narrowed.body.refresh_token });
    expect(widened.status).toBe(200);
    expect(widened.body.scope).toBe("audit.log:read connections:read");
    const again = await exchange(app, { grant_type: "refresh_token", refresh_token: widened.body.refresh_token, scope: "audit.log:read" });
    expect(again.body.scope).toBe("audit.log:read");
  });

  it("uses the user's current role: a removed member's token stops working", async () => {
    const admin = await makeTeamContext();
    const member = await addMember(admin, "admin");
    const app = await makeClient(admin, { grantType: "authorization_code" });
    const { code, verifier } = await authorize(member, app);
    const tokens = (await exchange(app, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT })).body;
    const principal = await bearer(tokens.access_token);
    expect("ctx" in principal && principal.ctx.role).toBe("admin");
    await (await getDb())
      .update(memberships)
      .set({ role: "member" })
      .where(and(eq(memberships.teamId, admin.team.id), eq(memberships.userId, member.actor.id)));
    const demoted = await bearer(tokens.access_token);
    expect("ctx" in demoted && demoted.ctx.role).toBe("member");
    await (await getDb()).delete(memberships).where(and(eq(memberships.teamId, admin.team.id), eq(memberships.userId, member.actor.id)));
    expect(await live(tokens.access_token)).toBe(false);
    expect((await exchange(app, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).body.error).toBe("invalid_grant");
  });

  it("revoking consent kills that client's tokens for that user at once", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const { code, verifier } = await authorize(ctx, app);
    const pending = await authorize(ctx, app);
    const tokens = (await exchange(app, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT })).body;
    const [consent] = await listUserConsents(await getDb(), ctx.actor.id);
    expect(consent).toMatchObject({ applicationName: app.name, scopes: ["audit.log:read"] });
    await revokeConsent(await getDb(), ctx.actor, consent.id, "127.0.0.1");
    expect(await live(tokens.access_token)).toBe(false);
    expect((await exchange(app, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).body.error).toBe("invalid_grant");
    expect(
      (await exchange(app, { grant_type: "authorization_code", code: pending.code, code_verifier: pending.verifier, redirect_uri: REDIRECT })).body
        .error,
    ).toBe("invalid_grant");
    expect(await listUserConsents(await getDb(), ctx.actor.id)).toEqual([]);
    const actions = (await (await getDb()).select().from(auditEvents).where(eq(auditEvents.teamId, ctx.team.id))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["oauth.consent_given", "oauth.consent_revoked", "oauth.token_revoked", "oauth.token_issued"]));
  });
});
