import { eq } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { oauthSigningKeys, oauthTokens } from "@/db/schema";
import { authenticateBearer } from "@/lib/api/bearer";
import { getEnv } from "@/lib/config/env";
import { findUnknownKeyIds, getKeyring } from "@/lib/connections";
import { generateKey, parseKeyring } from "@/lib/crypto";
import { makeTeamContext } from "@/lib/testing/factories";
import { handleIntrospectionRequest, handleRevocationRequest } from "./revoke-introspect";
import { publishedSigningKeys, rotateSigningKeys } from "./signing-keys";
import { basic, formRequest, makeClient, pkcePair } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";
import { checkAuthorizationRequest } from "./authorize";
import { createApplication } from "./clients";
import { decideConsent } from "./consents";
import { createApplicationSchema } from "./schemas";

const ISSUER = "http://localhost:3000";
const REDIRECT = "https://client.example/callback";

async function jwtClient() {
  const ctx = await makeTeamContext();
  const input = createApplicationSchema.parse({
    name: "JWT app",
    grantType: "client_credentials",
    scopes: ["audit.log:read"],
    role: "admin",
    accessTokenFormat: "jwt",
  });
  return { ctx, app: await createApplication(await getDb(), ctx, input) };
}

async function token(app: { clientId: string; clientSecret: string }) {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** What an offline resource server does: the published JWK Set, RFC 9068's typ, issuer and audience. */
async function verifyOffline(jwt: string) {
  const keys = createLocalJWKSet({ keys: await publishedSigningKeys(await getDb()) });
  return jwtVerify(jwt, keys, { issuer: ISSUER, audience: `${ISSUER}/api/v1`, typ: "at+jwt", algorithms: ["RS256"] });
}

const bearer = async (value: string) => authenticateBearer(await getDb(), new Headers({ authorization: `Bearer ${value}` }), "127.0.0.1");

describe("JWT access tokens (RFC 9068)", () => {
  it("issues a signed JWT with the RFC 9068 claims that Plugboard's API accepts, introspects and revokes", async () => {
    const { app } = await jwtClient();
    const jwt = await token(app);
    const { payload, protectedHeader } = await verifyOffline(jwt);
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toMatchObject({ iss: ISSUER, sub: app.clientId, client_id: app.clientId, scope: "audit.log:read", jti: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(899);
    expect("ctx" in (await bearer(jwt))).toBe(true);

    const auth = { authorization: basic(app.clientId, app.clientSecret) };
    const introspected = await handleIntrospectionRequest(await getDb(), formRequest("/oauth2/introspect", { token: jwt }, auth));
    expect(await introspected.json()).toMatchObject({ active: true, jti: payload.jti, client_id: app.clientId });

    await handleRevocationRequest(await getDb(), formRequest("/oauth2/revoke", { token: jwt }, auth));
    // Plugboard's own API refuses it at once; an offline verifier still accepts the signature until exp.
    expect(await bearer(jwt)).toMatchObject({ status: 401, error: "invalid_token" });
    const after = await handleIntrospectionRequest(await getDb(), formRequest("/oauth2/introspect", { token: jwt }, auth));
    expect(await after.json()).toEqual({ active: false });
    await expect(verifyOffline(jwt)).resolves.toBeTruthy();

    // A JWT signed with any other key is not Plugboard's, whatever it claims.
    const [header, body] = jwt.split(".");
    expect(await bearer(`${header}.${body}.${"A".repeat(342)}`)).toMatchObject({ status: 401 });
  });

  it("authorization code: the JWT names the user as sub, and a refresh issues another JWT", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const input = createApplicationSchema.parse({
      name: "JWT portal",
      grantType: "authorization_code",
      redirectUris: REDIRECT,
      scopes: ["audit.log:read"],
      accessTokenFormat: "jwt",
    });
    const app = await createApplication(db, ctx, input);
    const { verifier, challenge } = pkcePair();
    const check = await checkAuthorizationRequest(
      db,
      new URLSearchParams({
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    if (check.kind !== "consent") throw new Error(check.kind);
    const { client, ...request } = check.request;
    const decision = await decideConsent(db, {
      ticket: { ...request, clientRowId: client.id, userId: ctx.actor.id },
      approve: true,
      user: ctx.actor,
      ip: "127.0.0.1",
    });
    if (decision.kind !== "redirect") throw new Error(decision.message);
    const code = new URL(decision.url).searchParams.get("code")!;
    const auth = { authorization: basic(app.clientId, app.clientSecret) };
    const exchanged = await handleTokenRequest(
      db,
      formRequest("/oauth2/token", { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT }, auth),
    );
    const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string };
    expect(tokens.refresh_token).toMatch(/^pbrt_/);
    expect((await verifyOffline(tokens.access_token)).payload).toMatchObject({ sub: ctx.actor.id, client_id: app.clientId });
    expect("ctx" in (await bearer(tokens.access_token))).toBe(true);
    const refreshed = await handleTokenRequest(
      db,
      formRequest("/oauth2/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, auth),
    );
    const next = (await refreshed.json()) as { access_token: string };
    expect((await verifyOffline(next.access_token)).payload).toMatchObject({ sub: ctx.actor.id });
  });

  it("opaque clients keep opaque tokens", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    expect(await token(app)).toMatch(/^pbat_/);
  });

  it("rotation: new tokens use the new key; the old key stays published until its last token expires, then goes", async () => {
    const db = await getDb();
    const { app } = await jwtClient();
    const before = await token(app);
    const oldKid = decodeProtectedHeader(before).kid!;

    const rotation = await rotateSigningKeys(db, getKeyring());
    expect(rotation.newKid).not.toBe(oldKid);
    const after = await token(app);
    expect(decodeProtectedHeader(after).kid).toBe(rotation.newKid);
    await expect(verifyOffline(after)).resolves.toBeTruthy();
    await expect(verifyOffline(before)).resolves.toBeTruthy();
    expect((await publishedSigningKeys(db)).map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, rotation.newKid]));

    // Once every token the old key signed has expired, it is no longer published, and the next rotation deletes it.
    await db
      .update(oauthTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(oauthTokens.signingKid, oldKid));
    expect((await publishedSigningKeys(db)).map((k) => k.kid)).not.toContain(oldKid);
    await rotateSigningKeys(db, getKeyring());
    expect(await db.select().from(oauthSigningKeys).where(eq(oauthSigningKeys.kid, oldKid))).toHaveLength(0);
  });

  it("keeps private keys encrypted, and re-encrypts them under a new encryption key on rotation", async () => {
    const db = await getDb();
    const { app } = await jwtClient();
    await token(app);
    const env = getKeyring();
    for (const row of await db.select().from(oauthSigningKeys)) {
      expect(row.privateKey).toMatch(new RegExp(`^v1\\.${env.currentKeyId}\\.`));
      expect(row.privateKey).not.toContain('"d"');
      expect(JSON.stringify(row.publicJwk)).not.toContain('"d"');
    }
    // The configured key (the environment's, or the data folder's under PGlite) becomes the old one.
    const { encryptionKey, encryptionKeysOld } = getEnv();
    const nextKey = generateKey("signingtest");
    const rotation = await rotateSigningKeys(db, parseKeyring(nextKey, [encryptionKey, encryptionKeysOld].filter(Boolean).join(",")));
    expect(rotation.reencrypted).toBeGreaterThan(0);
    for (const row of await db.select().from(oauthSigningKeys)) expect(row.keyId).toBe("signingtest");
    // The start-up check counts them: a signing key under an encryption key that is not configured stops a start.
    expect(await findUnknownKeyIds(db, getKeyring())).toEqual(expect.arrayContaining([expect.objectContaining({ keyId: "signingtest" })]));
    // Back under the environment's key, so the rest of this file's database keeps signing.
    await rotateSigningKeys(db, parseKeyring(encryptionKey, [nextKey, encryptionKeysOld].filter(Boolean).join(",")));
    for (const row of await db.select().from(oauthSigningKeys)) expect(row.keyId).toBe(env.currentKeyId);
  });
});
