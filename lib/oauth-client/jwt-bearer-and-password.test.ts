import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHLIB_CLIENTS, AUTHLIB_SERVICE_ACCOUNT, AUTHLIB_USERS, startAuthlibServer, type AuthlibServer } from "@/e2e/support/authlib-server";
import { TEST_EC_PRIVATE_KEY, TEST_OTHER_RSA_PRIVATE_KEY, TEST_RSA_PRIVATE_KEY } from "@/e2e/support/oauth-test-keys";
import { pemBodyLines } from "./client-auth";
import {
  OAuthConfigError,
  OAuthProviderError,
  requestJwtBearerToken,
  requestPasswordToken,
  type JwtBearerConfigInput,
  type PasswordGrantConfigInput,
} from "./index";
import { callResource, INSECURE, rejection } from "./test-fixtures";

// The peer is Authlib (python3-authlib): its JWTBearerGrant checks our assertion's signature, iss, sub, aud and
// exp; its password grant checks the client authentication and the resource owner's password.
let server: AuthlibServer;
beforeAll(async () => {
  server = await startAuthlibServer();
});
afterAll(() => server?.stop());

const lastCall = async () => (await server.tokenCalls()).at(-1);

function jwtBearer(overrides: Partial<JwtBearerConfigInput> = {}): JwtBearerConfigInput {
  return {
    tokenUrl: server.tokenUrl,
    assertionIssuer: AUTHLIB_SERVICE_ACCOUNT.issuer,
    assertionPrivateKeyPem: TEST_RSA_PRIVATE_KEY,
    assertionKeyId: "test-rsa",
    scopes: ["read"],
    ...overrides,
  };
}

function password(which: keyof typeof AUTHLIB_CLIENTS, overrides: Partial<PasswordGrantConfigInput> = {}): PasswordGrantConfigInput {
  const c = AUTHLIB_CLIENTS[which];
  return {
    tokenUrl: server.tokenUrl,
    username: "alice",
    password: AUTHLIB_USERS.alice,
    scopes: ["read", "write"],
    clientId: c.clientId,
    clientAuth: c.clientAuth,
    ...("clientSecret" in c ? { clientSecret: c.clientSecret } : { privateKeyPem: TEST_RSA_PRIVATE_KEY, keyId: "test-rsa" }),
    ...overrides,
  };
}

describe("requestJwtBearerToken against Authlib", () => {
  it.each([
    ["RS256", "test-rsa", TEST_RSA_PRIVATE_KEY],
    ["PS256", "test-rsa-pss", TEST_RSA_PRIVATE_KEY],
    ["ES256", "test-ec", TEST_EC_PRIVATE_KEY],
  ] as const)("%s: the assertion is accepted and the token works at the resource", async (alg, kid, pem) => {
    const tokens = await requestJwtBearerToken(
      jwtBearer({ assertionSigningAlg: alg, assertionKeyId: kid, assertionPrivateKeyPem: pem, assertionSubject: "alice" }),
      INSECURE,
    );
    expect(tokens).toMatchObject({ tokenType: "bearer", scope: ["read"], refreshToken: undefined });
    expect(await lastCall()).toMatchObject({ grantType: "urn:ietf:params:oauth:grant-type:jwt-bearer", status: 200, clientAuth: "none" });
    const res = await callResource(`${server.url}/resource/reports`, tokens.accessToken);
    expect(res.status).toBe(200);
    expect((await res.json()).token).toEqual({
      client_id: AUTHLIB_SERVICE_ACCOUNT.issuer,
      sub: "alice",
      scope: "read",
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
    });
  });

  it("acts as the issuer itself when no subject is set; the assertion carries iss, sub, aud, iat, exp and jti", async () => {
    const before = Math.floor(Date.now() / 1000);
    const tokens = await requestJwtBearerToken(jwtBearer({ assertionLifetimeSeconds: 120 }), INSECURE);
    const claims = (await lastCall())?.assertionClaims ?? {};
    expect(claims).toMatchObject({ iss: AUTHLIB_SERVICE_ACCOUNT.issuer, sub: AUTHLIB_SERVICE_ACCOUNT.issuer, aud: server.tokenUrl });
    expect(claims.jti).toEqual(expect.any(String));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    expect(Number(claims.iat)).toBeGreaterThanOrEqual(before);
    const res = await callResource(server.resourceUrl, tokens.accessToken);
    expect((await res.json()).token.sub).toBe(AUTHLIB_SERVICE_ACCOUNT.issuer);
  });

  it("is refused when signed with another key, without quoting key or assertion", async () => {
    const err = await rejection(requestJwtBearerToken(jwtBearer({ assertionPrivateKeyPem: TEST_OTHER_RSA_PRIVATE_KEY }), INSECURE));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "invalid_grant", status: 400 });
    expect(err.message).toBe("The provider refused the JWT assertion (invalid_grant)");
    for (const line of pemBodyLines(TEST_OTHER_RSA_PRIVATE_KEY)) expect(err.message).not.toContain(line);
  });

  it.each([
    [{ assertionAudienceValue: "https://someone-else.example/token" }, /Invalid claim "aud"/],
    [{ assertionSubject: "mallory" }, /Invalid "sub" value/],
    [{ assertionKeyId: "test-ec" }, /signs with ES256, not RS256/],
    [{ assertionLifetimeSeconds: 3600, assertionIssuer: "unknown@plugboard.test" }, /unknown issuer/],
  ] as const)("is refused by the peer for %j", async (override, message) => {
    const err = await rejection(requestJwtBearerToken(jwtBearer(override), INSECURE));
    expect(err).toMatchObject({ name: "OAuthProviderError", error: "invalid_grant" });
    expect(err.message).toMatch(message);
  });

  it("puts the scopes in the assertion when asked (the scope parameter is then not sent)", async () => {
    await requestJwtBearerToken(jwtBearer({ scopeInAssertion: true, scopes: ["read", "write"] }), INSECURE);
    expect(await lastCall()).toMatchObject({ status: 200, scope: null, assertionClaims: { scope: "read write" } });
    await requestJwtBearerToken(jwtBearer({ scopes: ["read", "write"] }), INSECURE);
    const call = await lastCall();
    expect(call).toMatchObject({ status: 200, scope: "read write" });
    expect(call?.assertionClaims).not.toHaveProperty("scope");
  });

  it("masks the key's lines and the assertion where the provider echoes them", async () => {
    let sentAssertion = "";
    const echo = (async (_url: string, init: { body?: URLSearchParams }) => {
      sentAssertion = new URLSearchParams(init.body?.toString()).get("assertion") ?? "";
      const line = pemBodyLines(TEST_RSA_PRIVATE_KEY)[2];
      return new Response(JSON.stringify({ error: "invalid_grant", error_description: `bad ${sentAssertion} signed by ${line}` }), {
        status: 400,
        headers: { "content-type": "application/json" },
      });
    }) as unknown as typeof fetch;
    const err = await rejection(requestJwtBearerToken(jwtBearer(), { ...INSECURE, fetch: echo }));
    expect(sentAssertion).toMatch(/^ey/);
    expect(err.message).toBe("The provider refused the JWT assertion (invalid_grant: bad •••••• signed by ••••••)");
  });

  it("says the key does not fit before any request", async () => {
    const before = (await server.tokenCalls()).length;
    const err = await rejection(requestJwtBearerToken(jwtBearer({ assertionSigningAlg: "ES256" }), INSECURE));
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err.message).toBe("The assertion's private key does not fit ES256: ES256 needs an EC P-256 key");
    expect((await server.tokenCalls()).length).toBe(before);
  });
});

describe("requestPasswordToken against Authlib", () => {
  it.each(["basic", "post", "privateKeyJwt"] as const)("gets a token for the user with client auth %s", async (which) => {
    const tokens = await requestPasswordToken(password(which), INSECURE);
    expect(tokens.scope.sort()).toEqual(["read", "write"]);
    expect(await lastCall()).toMatchObject({ grantType: "password", status: 200, clientAuth: AUTHLIB_CLIENTS[which].clientAuth });
    const res = await callResource(server.resourceUrl, tokens.accessToken);
    expect(res.status).toBe(200);
    expect((await res.json()).token).toMatchObject({ client_id: AUTHLIB_CLIENTS[which].clientId, sub: "alice", grant_type: "password" });
  });

  it("says a wrong password was refused, and never shows it", async () => {
    const wrong = "not-alices-password-42";
    const err = await rejection(requestPasswordToken(password("basic", { password: wrong }), INSECURE));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err.message).toBe('The provider refused the username and password (invalid_request: Invalid "username" or "password" in request.)');
    expect(JSON.stringify(err)).not.toContain(wrong);
  });

  it("masks the password where the provider echoes it", async () => {
    const echo = (async () =>
      new Response(JSON.stringify({ error: "invalid_grant", error_description: `bad password ${AUTHLIB_USERS.alice} for alice` }), {
        status: 400,
        headers: { "content-type": "application/json" },
      })) as typeof fetch;
    const err = await rejection(requestPasswordToken(password("post"), { ...INSECURE, fetch: echo }));
    expect(err.message).toContain("bad password •••••• for alice");
    expect(err.message).not.toContain(AUTHLIB_USERS.alice);
  });

  it("refuses a wrong client secret as invalid_client", async () => {
    const err = await rejection(requestPasswordToken(password("post", { clientSecret: "wrong-secret-0123" }), INSECURE));
    expect(err).toMatchObject({ name: "OAuthProviderError", error: "invalid_client" });
  });
});
