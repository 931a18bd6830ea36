import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import type { JwtAuthTestClient } from "@/e2e/support/oauth-test-config";
import { TEST_OTHER_RSA_PRIVATE_KEY, TEST_RSA_PRIVATE_KEY } from "@/e2e/support/oauth-test-keys";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { pemBodyLines } from "./client-auth";
import {
  buildAuthorizationRequest,
  clientCredentialsConfigSchema,
  exchangeAuthorizationCode,
  OAuthConfigError,
  OAuthProviderError,
  refreshAccessToken,
  requestClientCredentialsToken,
  type ClientCredentialsConfigInput,
} from "./index";
import { callResource, INSECURE, REDIRECT_URI, rejection } from "./test-fixtures";

let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthTestServer({ redirectUris: [REDIRECT_URI], autoApprove: true });
});
afterAll(() => server?.stop());

const lastTokenCall = () => {
  const e = server.events.filter((e) => e.type === "token").at(-1);
  if (e?.type !== "token") throw new Error("no token call recorded");
  return e;
};

function jwtClientConfig(c: JwtAuthTestClient, overrides: Partial<ClientCredentialsConfigInput> = {}): ClientCredentialsConfigInput {
  return {
    tokenUrl: server.tokenUrl,
    scopes: ["read:things"],
    clientId: c.clientId,
    clientAuth: c.clientAuth,
    clientSecret: c.clientSecret,
    privateKeyPem: c.privateKeyPem,
    keyId: c.keyId,
    signingAlg: c.signingAlg === "HS256" ? undefined : c.signingAlg,
    ...overrides,
  };
}

describe("JWT client authentication against oidc-provider", () => {
  it.each(["privateKeyJwtRs256", "privateKeyJwtPs256", "privateKeyJwtEs256", "clientSecretJwt"] as const)(
    "%s: gets a usable token with a signed assertion (alg, kid, aud the token endpoint)",
    async (which) => {
      const c = server.jwtAuthClients[which];
      const tokens = await requestClientCredentialsToken(jwtClientConfig(c), INSECURE);
      const call = lastTokenCall();
      expect(call).toMatchObject({ status: 200, clientId: c.clientId, clientAuth: "client_assertion" });
      expect(call.params.client_assertion_type).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      expect(call.params.client_secret).toBeUndefined();
      expect(call.headers.authorization).toBeUndefined();
      const header = decodeProtectedHeader(call.params.client_assertion);
      expect(header.alg).toBe(c.signingAlg);
      expect(header.kid).toBe("keyId" in c ? c.keyId : undefined);
      expect(decodeJwt(call.params.client_assertion)).toMatchObject({ iss: c.clientId, sub: c.clientId, aud: server.tokenUrl });

      const res = await callResource(server.resourceUrl, tokens.accessToken);
      expect(res.status).toBe(200);
      expect((await res.json()).token).toMatchObject({ clientId: c.clientId });
    },
  );

  it("puts the issuer in aud when the provider wants it", async () => {
    const c = server.jwtAuthClients.privateKeyJwtRs256;
    await requestClientCredentialsToken(jwtClientConfig(c, { assertionAudience: "issuer", issuer: server.issuer }), INSECURE);
    expect(decodeJwt(lastTokenCall().params.client_assertion).aud).toBe(server.issuer);
  });

  it("refuses a key the client did not register, without quoting the key", async () => {
    const c = server.jwtAuthClients.privateKeyJwtRs256;
    const err = await rejection(requestClientCredentialsToken(jwtClientConfig(c, { privateKeyPem: TEST_OTHER_RSA_PRIVATE_KEY }), INSECURE));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "invalid_client", status: 401 });
    expect(err.message).toMatch(/^The provider refused the client credentials \(invalid_client/);
    expect(lastTokenCall()).toMatchObject({ status: 401, error: "invalid_client" });
    for (const line of pemBodyLines(TEST_OTHER_RSA_PRIVATE_KEY)) expect(err.message).not.toContain(line);
  });

  it("refuses a wrong client_secret_jwt secret", async () => {
    const c = server.jwtAuthClients.clientSecretJwt;
    const wrong = "not-the-secret-0123456789abcdef-0123456789";
    const err = await rejection(requestClientCredentialsToken(jwtClientConfig(c, { clientSecret: wrong }), INSECURE));
    expect(err).toMatchObject({ name: "OAuthProviderError", error: "invalid_client" });
    expect(err.message).not.toContain(wrong);
  });

  it("says when the key does not fit the algorithm or is not a key, before any request", async () => {
    const c = server.jwtAuthClients.privateKeyJwtRs256;
    const calls = server.countGrants("client_credentials");
    const misfit = await rejection(requestClientCredentialsToken(jwtClientConfig(c, { signingAlg: "ES256" }), INSECURE));
    expect(misfit).toBeInstanceOf(OAuthConfigError);
    expect(misfit.message).toBe("The private key does not fit ES256: ES256 needs an EC P-256 key");
    const garbage = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbCBqdXN0IHRleHQ=\n-----END PRIVATE KEY-----";
    const notKey = await rejection(requestClientCredentialsToken(jwtClientConfig(c, { privateKeyPem: garbage }), INSECURE));
    expect(notKey).toBeInstanceOf(OAuthConfigError);
    expect(notKey.message).toMatch(/^The private key is not a PEM private key/);
    expect(notKey.message).not.toContain("bm90IGEga2V5");
    expect(server.countGrants("client_credentials")).toBe(calls);
  });

  it("refreshes an authorization-code grant with private_key_jwt", async () => {
    const c = server.jwtAuthClients.authCodePrivateKeyJwt;
    const config = {
      authorizeUrl: server.authorizeUrl,
      tokenUrl: server.tokenUrl,
      scopes: ["read:things"],
      clientId: c.clientId,
      clientAuth: c.clientAuth,
      privateKeyPem: c.privateKeyPem,
      keyId: c.keyId,
      issuer: server.issuer,
      issParameterSupported: true,
    };
    const request = await buildAuthorizationRequest(config, { redirectUri: REDIRECT_URI }, INSECURE);
    const callbackUrl = await driveAuthorization(request.url);
    const first = await exchangeAuthorizationCode(
      config,
      { callbackUrl, expectedState: request.state, codeVerifier: request.codeVerifier, redirectUri: REDIRECT_URI },
      INSECURE,
    );
    expect(lastTokenCall()).toMatchObject({ grantType: "authorization_code", status: 200, clientAuth: "client_assertion" });
    const second = await refreshAccessToken(config, first.refreshToken ?? "", INSECURE);
    expect(lastTokenCall()).toMatchObject({ grantType: "refresh_token", status: 200, clientAuth: "client_assertion" });
    expect((await callResource(server.resourceUrl, second.accessToken)).status).toBe(200);
  });
});

describe("client authentication settings", () => {
  const base = { tokenUrl: "https://auth.example/token", clientId: "cid" };
  it.each([
    [{ clientAuth: "private_key_jwt" }, "privateKeyPem", /enter the private key/],
    [{ clientAuth: "client_secret_jwt" }, "clientSecret", /enter the client secret/],
    [{ clientAuth: "private_key_jwt", privateKeyPem: TEST_RSA_PRIVATE_KEY, assertionAudience: "issuer" }, "issuer", /set the issuer/],
  ] as const)("%j is refused at the field %s", (override, field, message) => {
    const r = clientCredentialsConfigSchema.safeParse({ ...base, ...override });
    expect(r.success).toBe(false);
    const issue = r.error?.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });

  it("needs no client secret with private_key_jwt", () => {
    const r = clientCredentialsConfigSchema.safeParse({ ...base, clientAuth: "private_key_jwt", privateKeyPem: TEST_RSA_PRIVATE_KEY });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ signingAlg: "RS256", assertionAudience: "token_endpoint" });
  });
});
