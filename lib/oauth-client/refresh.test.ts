import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import {
  buildAuthorizationRequest,
  exchangeAuthorizationCode,
  OAuthProviderError,
  refreshAccessToken,
  type AuthorizationCodeConfigInput,
  type TokenSet,
} from "./index";
import { authCodeConfig, callResource, INSECURE, REDIRECT_URI, rejection } from "./test-fixtures";

let server: OAuthTestServer;
let fixed: OAuthTestServer;
beforeAll(async () => {
  [server, fixed] = await Promise.all([
    startOAuthTestServer({ redirectUris: [REDIRECT_URI], autoApprove: true, accessTokenTtlSeconds: 120 }),
    startOAuthTestServer({ redirectUris: [REDIRECT_URI], autoApprove: true, rotateRefreshTokens: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), fixed?.stop()]);
});

/** A fresh grant via autoApprove (no pages). */
async function connect(config: AuthorizationCodeConfigInput): Promise<TokenSet> {
  const request = await buildAuthorizationRequest(config, { redirectUri: REDIRECT_URI }, INSECURE);
  const callbackUrl = await driveAuthorization(request.url);
  return exchangeAuthorizationCode(
    config,
    { callbackUrl, expectedState: request.state, codeVerifier: request.codeVerifier, redirectUri: REDIRECT_URI },
    INSECURE,
  );
}

describe("refreshAccessToken", () => {
  it("returns a new access token and the rotated refresh token; the old one is then dead", async () => {
    const config = authCodeConfig(server);
    const first = await connect(config);
    const before = server.countGrants("refresh_token");
    const startedAt = Date.now();
    const second = await refreshAccessToken(config, first.refreshToken!, INSECURE);

    expect(server.countGrants("refresh_token")).toBe(before + 1);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.scope.sort()).toEqual(["read:things", "write:things"]);
    // The server's access token TTL is 120 s.
    expect(second.expiresAt!.getTime()).toBeGreaterThanOrEqual(startedAt + 119_000);
    expect(second.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 120_000);
    expect((await callResource(server.resourceUrl, second.accessToken)).status).toBe(200);

    // oidc-provider treats reuse of a rotated refresh token as theft and revokes the grant.
    const reuse = await rejection(refreshAccessToken(config, first.refreshToken!, INSECURE));
    expect(reuse).toMatchObject({ name: "OAuthProviderError", error: "invalid_grant", isInvalidGrant: true });
  });

  it("keeps the refresh token when the provider does not rotate it", async () => {
    const config = authCodeConfig(fixed);
    const first = await connect(config);
    const second = await refreshAccessToken(config, first.refreshToken!, INSECURE);
    const third = await refreshAccessToken(config, second.refreshToken!, INSECURE);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect(third.refreshToken).toBe(first.refreshToken);
    expect(third.accessToken).not.toBe(second.accessToken);
  });

  it("keeps the old refresh token when the answer carries none", async () => {
    const answer = { access_token: "at-2", token_type: "Bearer", expires_in: 60 };
    const fakeFetch = (async () => Response.json(answer)) as typeof fetch;
    const set = await refreshAccessToken(authCodeConfig(server), "rt-1", { ...INSECURE, fetch: fakeFetch });
    expect(set).toMatchObject({ accessToken: "at-2", refreshToken: "rt-1", tokenType: "bearer", scope: ["read:things", "write:things"] });
  });

  it("reports a revoked refresh token as invalid_grant in words", async () => {
    const config = authCodeConfig(server, "authCodePost");
    const first = await connect(config);
    expect(server.revokeRefreshTokens({ clientId: "plugboard-post", accountId: "nobody" })).toBe(0);
    expect(server.revokeRefreshTokens({ clientId: "plugboard-post", accountId: "test-user" })).toBeGreaterThan(0);
    const err = await rejection(refreshAccessToken(config, first.refreshToken!, INSECURE));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "invalid_grant", status: 400, isInvalidGrant: true });
    expect(err.message).toMatch(/^The provider refused the refresh token \(invalid_grant: .+\)$/);
    // The access token from before is not touched by revoking refresh tokens.
    expect((await callResource(server.resourceUrl, first.accessToken)).status).toBe(200);
  });

  it("uses refreshUrl instead of tokenUrl when set, with the token request headers", async () => {
    const config = authCodeConfig(server, "authCodeBasic", { tokenRequestHeaders: { "X-Tenant": "t1" } });
    const first = await connect(config);
    const viaRefreshUrl = { ...config, tokenUrl: `${server.issuer}/not-the-token-endpoint`, refreshUrl: `${server.issuer}/token` };
    const second = await refreshAccessToken(viaRefreshUrl, first.refreshToken!, INSECURE);
    expect(second.accessToken).toBeTruthy();
    const call = server.events.filter((e) => e.type === "token").at(-1);
    expect(call).toMatchObject({ grantType: "refresh_token", status: 200, headers: { "x-tenant": "t1" } });
  });

  it("an expired access token is refused by the resource and a refresh gets a working one", async () => {
    const config = authCodeConfig(server);
    const first = await connect(config);
    server.expireAccessTokens();
    const stale = await callResource(server.resourceUrl, first.accessToken);
    expect(stale.status).toBe(401);
    expect(stale.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    const fresh = await refreshAccessToken(config, first.refreshToken!, INSECURE);
    expect((await callResource(server.resourceUrl, fresh.accessToken)).status).toBe(200);
  });

  it("refuses to run without a refresh token", async () => {
    await expect(refreshAccessToken(authCodeConfig(server), "", INSECURE)).rejects.toMatchObject({ name: "OAuthConfigError" });
  });
});
