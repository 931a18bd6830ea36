import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { exportJWK, exportPKCS8, generateKeyPair, type JWK, SignJWT } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthlibTokenClient } from "@/e2e/support/authlib-token-client";
import { getDb } from "@/db";
import { oauthClientAssertionJtis, oauthClientSecrets, oauthClients } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { makeTeamContext } from "@/lib/testing/factories";
import { updateApplicationAuth } from "./application-settings";
import { JWT_BEARER_ASSERTION_TYPE } from "./client-auth-methods";
import { issuer } from "./config";
import { authorizationServerMetadata } from "./metadata";
import { applicationAuthSchema } from "./schemas";
import { bindRegistration, handleRegistrationRequest } from "./registration";
import { BASE, formRequest, makeClient, randomIp, startOAuthEndpoints } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
type SigningKey = KeyPair & { kid: string; alg: "RS256" | "ES256"; publicJwk: JWK; pem: string };

async function signingKey(alg: "RS256" | "ES256"): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  return { ...pair, kid, alg, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, use: "sig" }, pem: await exportPKCS8(pair.privateKey) };
}

let endpoints: Awaited<ReturnType<typeof startOAuthEndpoints>>;
let rsa: SigningKey;
let ec: SigningKey;
let stranger: SigningKey;
const allowedHostsBefore = process.env.PLUGBOARD_ALLOWED_HOSTS;

beforeAll(async () => {
  // The jwks_uri test server is on loopback, which the guarded dispatcher reaches only when an admin lists it.
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  [endpoints, rsa, ec, stranger] = await Promise.all([startOAuthEndpoints(), signingKey("RS256"), signingKey("ES256"), signingKey("RS256")]);
});
afterAll(async () => {
  if (allowedHostsBefore === undefined) delete process.env.PLUGBOARD_ALLOWED_HOSTS;
  else process.env.PLUGBOARD_ALLOWED_HOSTS = allowedHostsBefore;
  resetEnvCache();
  await endpoints?.close();
});

const tokenEndpoint = () => `${issuer()}/oauth2/token`;

async function keyClient(options: { jwks?: { keys: JWK[] }; jwksUri?: string } = {}) {
  const ctx = await makeTeamContext();
  const app = await makeClient(ctx, {
    authMethod: "private_key_jwt",
    scopes: ["connections:read"],
    ...(options.jwksUri ? { jwksUri: options.jwksUri } : { jwks: options.jwks ?? { keys: [rsa.publicJwk, ec.publicJwk] } }),
  });
  return { ctx, app };
}

/** openid-client as the integration: private_key_jwt with `key`, optionally changing the assertion it signs. */
function openidConfig(clientId: string, key: SigningKey, modify?: (header: Record<string, unknown>, payload: Record<string, unknown>) => void) {
  const config = new client.Configuration(
    { issuer: issuer(), token_endpoint: endpoints.tokenUrl, introspection_endpoint: endpoints.introspectionUrl },
    clientId,
    undefined,
    client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }, modify ? { [client.modifyAssertion]: modify } : undefined),
  );
  client.allowInsecureRequests(config);
  return config;
}

/** openid-client configured with the application's client secret (client_secret_basic). */
function secretConfig(clientId: string, secret: string) {
  const config = new client.Configuration(
    { issuer: issuer(), token_endpoint: endpoints.tokenUrl },
    clientId,
    undefined,
    client.ClientSecretBasic(secret),
  );
  client.allowInsecureRequests(config);
  return config;
}

/** The OAuth error openid-client reports for a refused request. */
async function refusal(request: Promise<unknown>): Promise<{ error?: string; status?: number; description?: string }> {
  try {
    await request;
  } catch (error) {
    // A refused Basic client is answered with WWW-Authenticate, which openid-client reports as a challenge.
    if (error instanceof client.WWWAuthenticateChallengeError) {
      const body = (await error.response.json()) as { error?: string; error_description?: string };
      return { error: body.error, status: error.status, description: body.error_description };
    }
    const e = error as { error?: string; status?: number; error_description?: string };
    return { error: e.error, status: e.status, description: e.error_description };
  }
  throw new Error("the request was not refused");
}

/** A client assertion signed here, for what the clients will not send (other algorithms, far expiry). */
async function assertion(clientId: string, key: CryptoKey | Uint8Array, alg: string, claims: { exp?: number; aud?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(claims.aud ?? tokenEndpoint())
    .setIssuedAt(now)
    .setExpirationTime(claims.exp ?? now + 60)
    .sign(key);
}

async function tokenWithAssertion(clientAssertion: string) {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", {
      grant_type: "client_credentials",
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: clientAssertion,
    }),
  );
  return { status: response.status, body: (await response.json()) as { error?: string; error_description?: string; access_token?: string } };
}

describe("private_key_jwt client authentication (RFC 7523 §2.2)", () => {
  it("is advertised in the authorization server metadata, with asymmetric algorithms only", () => {
    const metadata = authorizationServerMetadata();
    expect(metadata.token_endpoint_auth_methods_supported).toContain("private_key_jwt");
    expect(metadata.introspection_endpoint_auth_methods_supported).toContain("private_key_jwt");
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "ES256", "PS256"]));
    const algs: string[] = metadata.token_endpoint_auth_signing_alg_values_supported;
    expect(algs.some((alg) => alg === "none" || alg.startsWith("HS"))).toBe(false);
  });

  it("openid-client gets tokens with RS256 and ES256 keys and introspects with them; a replayed jti, an unknown kid and a wrong key are invalid_client", async () => {
    const { app } = await keyClient();
    for (const key of [rsa, ec]) {
      const tokens = await client.clientCredentialsGrant(openidConfig(app.clientId, key));
      expect(tokens.access_token).toMatch(/^pbat_/);
      const introspected = await client.tokenIntrospection(openidConfig(app.clientId, key), tokens.access_token);
      expect(introspected).toMatchObject({ active: true, client_id: app.clientId });
    }

    const fixedJti = randomUUID();
    const replaying = openidConfig(app.clientId, rsa, (_header, payload) => {
      payload.jti = fixedJti;
    });
    await client.clientCredentialsGrant(replaying);
    expect(await refusal(client.clientCredentialsGrant(replaying))).toMatchObject({
      error: "invalid_client",
      status: 401,
      description: expect.stringContaining("jti"),
    });
    // Kept until the assertion expires, in the database: every process refuses it.
    const [stored] = await (await getDb()).select().from(oauthClientAssertionJtis).where(eq(oauthClientAssertionJtis.jti, fixedJti));
    expect(stored.expiresAt.getTime()).toBeGreaterThan(Date.now());

    const unknownKid = openidConfig(app.clientId, rsa, (header) => {
      header.kid = "not-registered";
    });
    expect(await refusal(client.clientCredentialsGrant(unknownKid))).toMatchObject({ error: "invalid_client", status: 401 });
    // Another key under a registered kid: the signature does not verify.
    const wrongKey = openidConfig(app.clientId, { ...stranger, kid: rsa.kid });
    expect(await refusal(client.clientCredentialsGrant(wrongKey))).toMatchObject({
      error: "invalid_client",
      description: expect.stringContaining("signature"),
    });
    // A secret does not authenticate a client registered for private_key_jwt.
    const bySecret = secretConfig(app.clientId, app.clientSecret);
    expect(await refusal(client.clientCredentialsGrant(bySecret))).toMatchObject({
      error: "invalid_client",
      description: expect.stringContaining("private_key_jwt"),
    });
  });

  it("Authlib gets tokens with RS256 and ES256 keys (no kid: the key that fits the algorithm); a wrong aud, a replayed jti and an unregistered key are invalid_client", async () => {
    const { app } = await keyClient();
    const authlib = await startAuthlibTokenClient({ tokenUrl: endpoints.tokenUrl, clientId: app.clientId, authMethod: "client_secret_basic" });
    try {
      for (const key of [rsa, ec]) {
        expect(await authlib.requestOnce({ privateKeyPem: key.pem, alg: key.alg, audience: tokenEndpoint() })).toMatchObject({
          ok: true,
          status: 200,
        });
      }
      // Authlib's default aud is the URL it posts to, here the loopback address rather than Plugboard's token endpoint.
      expect(await authlib.requestOnce({ privateKeyPem: rsa.pem, alg: "RS256" })).toMatchObject({
        ok: false,
        status: 401,
        error: "invalid_client",
        error_description: expect.stringContaining("aud"),
      });
      const jti = randomUUID();
      const replayed = { privateKeyPem: ec.pem, alg: "ES256" as const, audience: issuer(), claims: { jti } };
      expect(await authlib.requestOnce(replayed)).toMatchObject({ ok: true });
      expect(await authlib.requestOnce(replayed)).toMatchObject({ ok: false, status: 401, error: "invalid_client" });
      expect(await authlib.requestOnce({ privateKeyPem: stranger.pem, alg: "RS256", audience: tokenEndpoint() })).toMatchObject({
        ok: false,
        status: 401,
        error: "invalid_client",
      });
    } finally {
      await authlib.stop();
    }
  });

  it("refuses HS256 and none, and an exp too far ahead", async () => {
    const { app } = await keyClient();
    const hs = await assertion(app.clientId, new TextEncoder().encode("a shared secret that is long enough for HS256!"), "HS256");
    expect(await tokenWithAssertion(hs)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${hs.split(".")[1]}.`;
    expect(await tokenWithAssertion(none)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const farAhead = await assertion(app.clientId, rsa.privateKey, "RS256", { exp: Math.floor(Date.now() / 1000) + 3 * 3600 });
    expect(await tokenWithAssertion(farAhead)).toMatchObject({
      status: 401,
      body: { error: "invalid_client", error_description: expect.stringContaining("exp") },
    });
    // The same assertion within the bound is accepted: the refusals above are about the algorithm and exp.
    expect(await tokenWithAssertion(await assertion(app.clientId, rsa.privateKey, "RS256"))).toMatchObject({ status: 200 });
  });

  it("sweeps the jtis of expired assertions", async () => {
    const { app } = await keyClient();
    const db = await getDb();
    const [row] = await db.select({ id: oauthClients.id }).from(oauthClients).where(eq(oauthClients.clientId, app.clientId));
    await db.insert(oauthClientAssertionJtis).values({ clientId: row.id, jti: "old", expiresAt: new Date(Date.now() - 1000) });
    expect(await tokenWithAssertion(await assertion(app.clientId, ec.privateKey, "ES256"))).toMatchObject({ status: 200 });
    const left = await db.select().from(oauthClientAssertionJtis).where(eq(oauthClientAssertionJtis.clientId, row.id));
    expect(left.map((r) => r.jti)).not.toContain("old");
    expect(left).toHaveLength(1);
  });

  it("reads a jwks_uri through the guarded dispatcher once for several assertions; a new URL is read at once", async () => {
    let published: JWK[] = [rsa.publicJwk];
    // Answers every path with the keys published now.
    let reads = 0;
    const keyServer = createServer((_req, res) => {
      reads++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
    try {
      const keysUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
      const { ctx, app } = await keyClient({ jwksUri: `${keysUrl}/jwks.json` });
      for (let i = 0; i < 3; i++) await client.clientCredentialsGrant(openidConfig(app.clientId, rsa));
      expect(reads).toBe(1);
      // The integration publishes its EC key at a new URL and the admin enters it: the old URL's cache is not used.
      published = [ec.publicJwk];
      await updateApplicationAuth(
        await getDb(),
        ctx,
        applicationAuthSchema.parse({ applicationId: app.id, authMethod: "private_key_jwt", jwksUri: `${keysUrl}/v2/jwks.json` }),
      );
      await client.clientCredentialsGrant(openidConfig(app.clientId, ec));
      expect(reads).toBe(2);
      expect(await refusal(client.clientCredentialsGrant(openidConfig(app.clientId, rsa)))).toMatchObject({ error: "invalid_client" });
    } finally {
      await new Promise<void>((resolve) => keyServer.close(() => resolve()));
    }
  });

  it("an admin switches an application to private_key_jwt with a JWK Set; private keys and both sources at once are refused by name", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { scopes: ["connections:read"] });
    const base = { applicationId: app.id, authMethod: "private_key_jwt" };
    const withPrivate = applicationAuthSchema.safeParse({ ...base, jwks: JSON.stringify({ keys: [await exportJWK(rsa.privateKey)] }) });
    expect(withPrivate.error?.issues[0]).toMatchObject({ path: ["jwks"], message: expect.stringContaining("private key") });
    const both = applicationAuthSchema.safeParse({ ...base, jwks: JSON.stringify({ keys: [rsa.publicJwk] }), jwksUri: "https://keys.example/jwks" });
    expect(both.error?.issues[0]).toMatchObject({ path: ["jwksUri"] });
    expect(applicationAuthSchema.safeParse({ ...base }).error?.issues[0]).toMatchObject({ path: ["jwks"] });

    await updateApplicationAuth(await getDb(), ctx, applicationAuthSchema.parse({ ...base, jwks: JSON.stringify({ keys: [ec.publicJwk] }) }));
    expect((await client.clientCredentialsGrant(openidConfig(app.clientId, ec))).access_token).toMatch(/^pbat_/);
    // And back to its secret, which it kept.
    await updateApplicationAuth(await getDb(), ctx, applicationAuthSchema.parse({ applicationId: app.id, authMethod: "client_secret_basic" }));
    const bySecret = secretConfig(app.clientId, app.clientSecret);
    expect((await client.clientCredentialsGrant(bySecret)).access_token).toMatch(/^pbat_/);
    expect(await refusal(client.clientCredentialsGrant(openidConfig(app.clientId, ec)))).toMatchObject({ error: "invalid_client" });
  });

  it("dynamic registration (RFC 7591) takes private_key_jwt with jwks or jwks_uri and issues no secret; the bound client authenticates with its key", async () => {
    const ip = randomIp();
    const register = async (metadata: Record<string, unknown>) => {
      const response = await handleRegistrationRequest(
        await getDb(),
        new Request(`${BASE}/oauth2/register`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": ip },
          body: JSON.stringify({ redirect_uris: ["https://agent.example/cb"], token_endpoint_auth_method: "private_key_jwt", ...metadata }),
        }),
      );
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const refused = (field: string) => ({
      status: 400,
      body: { error: "invalid_client_metadata", error_description: expect.stringContaining(field) },
    });
    // RFC 7591 §2: both at once are not allowed; private_key_jwt needs one; private key material is refused.
    expect(await register({ jwks: { keys: [ec.publicJwk] }, jwks_uri: "https://agent.example/jwks" })).toMatchObject(refused("jwks_uri"));
    expect(await register({})).toMatchObject(refused("jwks"));
    expect(await register({ jwks: { keys: [await exportJWK(ec.privateKey)] } })).toMatchObject(refused("private key"));
    expect(await register({ jwks_uri: "ftp://agent.example/jwks" })).toMatchObject(refused("jwks_uri"));
    const byUri = await register({ jwks_uri: "https://agent.example/jwks.json" });
    expect(byUri).toMatchObject({
      status: 201,
      body: { token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://agent.example/jwks.json" },
    });

    const registered = await register({ jwks: { keys: [ec.publicJwk] } });
    expect(registered).toMatchObject({ status: 201, body: { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [ec.publicJwk] } } });
    expect(registered.body).not.toHaveProperty("client_secret");
    const clientId = registered.body.client_id as string;

    // The consent screen's approval binds it to the approver's team (here called directly), keys included.
    const ctx = await makeTeamContext();
    const db = await getDb();
    const bound = await db.transaction((tx) => bindRegistration(tx, { clientId, teamId: ctx.team.id, needsApproval: false }, ctx.actor, null));
    expect(bound).toMatchObject({ authMethod: "private_key_jwt", jwks: { keys: [ec.publicJwk] }, jwksUri: null });
    expect(
      await db
        .select()
        .from(oauthClientSecrets)
        .where(eq(oauthClientSecrets.clientId, bound?.id ?? "")),
    ).toEqual([]);
    expect(await client.tokenIntrospection(openidConfig(clientId, ec), "pbat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toMatchObject({
      active: false,
    });
    expect(await refusal(client.tokenIntrospection(openidConfig(clientId, { ...rsa, kid: ec.kid }), "x"))).toMatchObject({ error: "invalid_client" });
  });
});
