import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, oauthClientSecrets, oauthClients } from "@/db/schema";
import { makeTeamContext } from "@/lib/testing/factories";
import { regenerateClientSecret } from "./clients";
import { hashSecret } from "./secrets";
import { basic, BASE, formRequest, makeClient, randomIp } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";

const token = async (request: Request) => {
  const response = await handleTokenRequest(await getDb(), request);
  return { response, body: (await response.json()) as Record<string, unknown> };
};

describe("POST /oauth2/token: client credentials", () => {
  it("issues a Bearer token with client_secret_basic, without a refresh token, not cacheable", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const { response, body } = await token(
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(body).toEqual({
      access_token: expect.stringMatching(/^pbat_[A-Za-z0-9_-]{43}$/),
      token_type: "Bearer",
      expires_in: 899,
      scope: "audit.log:read connections:read",
    });
    const [row] = await (await getDb()).select().from(oauthClients).where(eq(oauthClients.id, app.id));
    const [secret] = await (await getDb()).select().from(oauthClientSecrets).where(eq(oauthClientSecrets.clientId, app.id));
    expect(secret.secretHash).toBe(hashSecret(app.clientSecret));
    expect(row.lastUsedAt).not.toBeNull();
    expect(secret.lastUsedAt).not.toBeNull();
    const audit = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "oauth.token_issued")));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(app.clientSecret);
    expect(JSON.stringify(audit)).not.toContain(body.access_token);
  });

  it("accepts client_secret_post as multipart form data and as query parameters, narrowing scopes", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { authMethod: "client_secret_post" });
    const form = new FormData();
    for (const [k, v] of Object.entries({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: "client_credentials",
      scope: "audit.log:read",
    }))
      form.append(k, v);
    const multipart = await token(new Request(`${BASE}/oauth2/token`, { method: "POST", body: form, headers: { "x-forwarded-for": randomIp() } }));
    expect(multipart.response.status).toBe(200);
    expect(multipart.body.scope).toBe("audit.log:read");

    // The query form carries grant_type and scope only; client authentication stays in the body.
    const query = new URLSearchParams({ grant_type: "client_credentials", scope: "connections:read" });
    const credentials = new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret });
    const viaQuery = await token(
      new Request(`${BASE}/oauth2/token?${query}`, {
        method: "POST",
        body: credentials,
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp() },
      }),
    );
    expect(viaQuery.response.status).toBe(200);
    expect(viaQuery.body.scope).toBe("connections:read");
  });

  it("never takes client_id or client_secret (or a grant's secrets) from the query string (RFC 6749 §2.3.1)", async () => {
    const ctx = await makeTeamContext();
    const post = await makeClient(ctx, { authMethod: "client_secret_post" });
    const basicApp = await makeClient(ctx);
    const post2 = (query: Record<string, string>, body: Record<string, string> = {}, headers: Record<string, string> = {}) =>
      token(
        new Request(`${BASE}/oauth2/token?${new URLSearchParams(query)}`, {
          method: "POST",
          body: new URLSearchParams(body),
          headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp(), ...headers },
        }),
      );
    const inQuery = await post2({ grant_type: "client_credentials", client_id: post.clientId, client_secret: post.clientSecret });
    expect(inQuery.response.status).toBe(400);
    expect(inQuery.body).toMatchObject({
      error: "invalid_request",
      error_description: expect.stringContaining("client_id is not accepted in the query string"),
    });
    expect(JSON.stringify(inQuery.body)).not.toContain(post.clientSecret);
    // Half in the query, half in the body is refused too; so is a secret in the query next to Basic.
    expect((await post2({ client_secret: post.clientSecret }, { grant_type: "client_credentials", client_id: post.clientId })).body.error).toBe(
      "invalid_request",
    );
    expect((await post2({ client_id: post.clientId }, { grant_type: "client_credentials", client_secret: post.clientSecret })).body.error).toBe(
      "invalid_request",
    );
    const basicAuth = { authorization: basic(basicApp.clientId, basicApp.clientSecret) };
    expect((await post2({ grant_type: "refresh_token", refresh_token: "pbrt_x" }, {}, basicAuth)).body.error_description).toContain(
      "refresh_token is not accepted in the query string",
    );
    // Unrecognised query parameters are ignored (RFC 6749 §3.2); grant_type from the query still works with Basic.
    expect((await post2({ grant_type: "client_credentials", utm_source: "guide" }, {}, basicAuth)).response.status).toBe(200);
  });

  it("keeps error_description to the allowed characters and never echoes unbounded input (RFC 6749 §5.2)", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["connections:read"] });
    const auth = { authorization: basic(app.clientId, app.clientSecret) };
    const allowed = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
    const manyScopes = Array.from({ length: 500 }, (_, i) => `made:up:${i}:${"x".repeat(100)}`).join(" ");
    const cases = [
      formRequest("/oauth2/token", { grant_type: `pass"word\\é${"x".repeat(5000)}` }, auth),
      formRequest("/oauth2/token", { grant_type: "client_credentials", scope: manyScopes }, auth),
      formRequest("/oauth2/token", { grant_type: "client_credentials", scope: 'a"b c\\d' }, auth),
      new Request(`${BASE}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp(), ...auth },
        body: `grant_type=client_credentials&${encodeURIComponent(`k"\\ü${"y".repeat(3000)}`)}=1&${encodeURIComponent(`k"\\ü${"y".repeat(3000)}`)}=2`,
      }),
    ];
    const descriptions: string[] = [];
    for (const request of cases) {
      const { response, body } = await token(request);
      expect(response.status).toBe(400);
      descriptions.push(body.error_description as string);
    }
    for (const d of descriptions) {
      expect(d).toMatch(allowed);
      expect(d.length).toBeLessThanOrEqual(300);
    }
    expect(descriptions[0]).toMatch(/^Grant type pass\?word\?\?x+\.\.\. is not supported\.$/);
    // Unknown scopes are named, a few and each cut short, and the rest counted.
    expect(descriptions[1]).toContain("made:up:0:");
    expect(descriptions[1]).toContain("and 497 more");
    expect(descriptions[1]).not.toContain("made:up:3:");
    expect(descriptions[3]).toMatch(/^Parameter k\?\?\?y+\.\.\. was sent more than once\.$/);
  });

  it("refuses a client authenticating with a method other than its registered one", async () => {
    const ctx = await makeTeamContext();
    const postClient = await makeClient(ctx, { authMethod: "client_secret_post" });
    const viaBasic = await token(
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(postClient.clientId, postClient.clientSecret) }),
    );
    expect(viaBasic.response.status).toBe(401);
    expect(viaBasic.body.error).toBe("invalid_client");
    expect(viaBasic.response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect(viaBasic.body.error_description).toMatch(/registered for client_secret_post .*form fields.*; this request used client_secret_basic/);

    const basicClient = await makeClient(ctx);
    const viaPost = await token(
      formRequest("/oauth2/token", { grant_type: "client_credentials", client_id: basicClient.clientId, client_secret: basicClient.clientSecret }),
    );
    expect(viaPost.response.status).toBe(401);
    expect(viaPost.body.error).toBe("invalid_client");
    expect(viaPost.response.headers.get("www-authenticate")).toBeNull();
    expect(viaPost.body.error_description).toMatch(/registered for client_secret_basic .*HTTP Basic.*; this request used client_secret_post/);
  });

  it("answers each error with its RFC 6749 code", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["connections:read"] });
    const auth = { authorization: basic(app.clientId, app.clientSecret) };
    const cases: [Request, number, string][] = [
      [formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, "wrong") }), 401, "invalid_client"],
      [formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic("pbc_unknown", "x") }), 401, "invalid_client"],
      [formRequest("/oauth2/token", { grant_type: "client_credentials" }), 401, "invalid_client"],
      [formRequest("/oauth2/token", {}, auth), 400, "invalid_request"],
      [formRequest("/oauth2/token", { grant_type: "password" }, auth), 400, "unsupported_grant_type"],
      [formRequest("/oauth2/token", { grant_type: "client_credentials", scope: "audit.log:read" }, auth), 400, "invalid_scope"],
      [formRequest("/oauth2/token", { grant_type: "client_credentials", scope: "made:up" }, auth), 400, "invalid_scope"],
      [formRequest("/oauth2/token", { grant_type: "authorization_code", code: "x", code_verifier: "y" }, auth), 400, "unauthorized_client"],
      [formRequest("/oauth2/token", { grant_type: "refresh_token", refresh_token: "x" }, auth), 400, "unauthorized_client"],
      [formRequest("/oauth2/token?grant_type=client_credentials", { grant_type: "client_credentials" }, auth), 400, "invalid_request"],
      [
        new Request(`${BASE}/oauth2/token`, {
          method: "POST",
          headers: { "content-type": "application/json", ...auth },
          body: JSON.stringify({ grant_type: "client_credentials" }),
        }),
        400,
        "invalid_request",
      ],
      [formRequest("/oauth2/token", { grant_type: "client_credentials", client_secret: app.clientSecret }, auth), 400, "invalid_request"],
    ];
    for (const [request, status, error] of cases) {
      const { response, body } = await token(request);
      expect({ status: response.status, error: body.error }).toEqual({ status, error });
      expect(typeof body.error_description).toBe("string");
      expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    }
    const refused = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "oauth.token_refused")));
    // Refusals after the client is identified land in its team's log; the unknown and anonymous callers and
    // the three malformed requests (refused before authentication) are logged without a team.
    expect(refused.length).toBe(cases.length - 5);
  });

  it("rate limits failed client authentication, refusing even the right secret until the window ends", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    for (let i = 0; i < 10; i++) {
      const { response } = await token(
        formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, `wrong-${i}`) }),
      );
      expect(response.status).toBe(401);
    }
    const { response, body } = await token(
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
    );
    expect(response.status).toBe(429);
    expect(body.error).toBe("invalid_client");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const limited = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "oauth.client_auth_rate_limited")));
    expect(limited).toHaveLength(1);
  });

  it("refuses the old secret at once after regeneration and accepts the new one", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const renewed = await regenerateClientSecret(await getDb(), ctx, app.id);
    expect(renewed.clientId).toBe(app.clientId);
    const old = await token(
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
    );
    expect(old.response.status).toBe(401);
    const fresh = await token(
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, renewed.clientSecret) }),
    );
    expect(fresh.response.status).toBe(200);
  });
});
