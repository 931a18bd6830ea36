import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import {
  buildAuthorizationRequest,
  exchangeAuthorizationCode,
  OAuthCallbackError,
  OAuthProviderError,
  type AuthorizationCodeConfigInput,
} from "./index";
import { authCodeConfig, callResource, INSECURE, REDIRECT_URI, rejection } from "./test-fixtures";

// This file's own server (not the global one): it counts token calls, and its login/consent pages are
// driven with real HTTP form posts and cookies by driveAuthorization.
let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthTestServer({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => server?.stop());

async function authorize(config: AuthorizationCodeConfigInput, decision: "allow" | "deny" = "allow") {
  const request = await buildAuthorizationRequest(config, { redirectUri: REDIRECT_URI }, INSECURE);
  const callbackUrl = await driveAuthorization(request.url, { decision, login: "alice" });
  return { request, callbackUrl };
}

function exchange(config: AuthorizationCodeConfigInput, a: Awaited<ReturnType<typeof authorize>>, extra = {}) {
  return exchangeAuthorizationCode(
    config,
    { callbackUrl: a.callbackUrl, expectedState: a.request.state, codeVerifier: a.request.codeVerifier, redirectUri: REDIRECT_URI, ...extra },
    INSECURE,
  );
}

const tokenEvents = () => server.events.filter((e) => e.type === "token");

describe("authorization code flow against oidc-provider", () => {
  it("completes with client_secret_basic and PKCE, and the token works at the resource", async () => {
    const config = authCodeConfig(server, "authCodeBasic", { scopes: ["openid", "offline_access", "read:things"] });
    const a = await authorize(config);
    expect(new URL(a.callbackUrl).searchParams.get("iss")).toBe(server.issuer);
    const tokens = await exchange(config, a);

    expect(tokens.tokenType).toBe("bearer");
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.refreshToken).toEqual(expect.any(String));
    // Granted, not requested: oidc-provider drops offline_access from OpenID requests without
    // prompt=consent (OIDC Core §11), though this server issues refresh tokens regardless.
    expect(tokens.scope.sort()).toEqual(["openid", "read:things"]);
    expect(tokens.expiresAt).toBeInstanceOf(Date);

    const call = tokenEvents().at(-1);
    expect(call).toMatchObject({ grantType: "authorization_code", clientAuth: "client_secret_basic", status: 200 });
    expect(call?.type === "token" && call.params.code_verifier).toBe(a.request.codeVerifier);

    const res = await callResource(server.resourceUrl, tokens.accessToken);
    expect(res.status).toBe(200);
    expect((await res.json()).token).toMatchObject({ accountId: "alice", clientId: "plugboard-basic", location: "header" });
  });

  it("sends an S256 challenge that the server checks against the verifier", async () => {
    const config = authCodeConfig(server);
    const a = await authorize(config);
    const authorizeQuery = server.events.filter((e) => e.type === "authorize").at(-1);
    expect(authorizeQuery?.type === "authorize" && authorizeQuery.query.code_challenge_method).toBe("S256");

    const err = await rejection(exchange(config, a, { codeVerifier: "a".repeat(43) }));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect((err as OAuthProviderError).isInvalidGrant).toBe(true);
    expect(err.message).toMatch(/^The provider refused the authorization code \(invalid_grant/);
  });

  it("is refused by the server when PKCE is turned off (the server requires it)", async () => {
    const config = authCodeConfig(server, "authCodeBasic", { usePkce: false });
    const request = await buildAuthorizationRequest(config, { redirectUri: REDIRECT_URI }, INSECURE);
    expect(request.codeVerifier).toBeUndefined();
    expect(new URL(request.url).searchParams.has("code_challenge")).toBe(false);
    const callbackUrl = await driveAuthorization(request.url);
    const err = await rejection(
      exchangeAuthorizationCode(config, { callbackUrl, expectedState: request.state, redirectUri: REDIRECT_URI }, INSECURE),
    );
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect((err as OAuthProviderError).error).toBe("invalid_request");
    expect((err as OAuthProviderError).errorDescription).toMatch(/PKCE/);
  });

  it("uses client_secret_post and sends the configured token request headers", async () => {
    const config = authCodeConfig(server, "authCodePost", { tokenRequestHeaders: { "X-Plugboard-Test": "hello" } });
    const tokens = await exchange(config, await authorize(config));
    expect(tokens.refreshToken).toBeTruthy();
    const call = tokenEvents().at(-1);
    expect(call).toMatchObject({ clientAuth: "client_secret_post", status: 200, headers: { "x-plugboard-test": "hello" } });
    expect(call?.type === "token" && call.headers.authorization).toBeUndefined();
  });

  it("sends extra authorization parameters and joins scopes with the configured separator", async () => {
    const config = authCodeConfig(server, "authCodeBasic", {
      scopes: ["read:things", "write:things"],
      extraAuthorizeParams: { prompt: "consent", ui_locales: "de" },
    });
    const { request } = await authorize(config);
    expect(request.url).toContain("scope=read%3Athings%20write%3Athings");
    const query = server.events.filter((e) => e.type === "authorize").at(-1);
    expect(query?.type === "authorize" && query.query).toMatchObject({ prompt: "consent", ui_locales: "de", scope: "read:things write:things" });
  });

  it("refuses a callback whose state was tampered with, before any token request", async () => {
    const config = authCodeConfig(server);
    const a = await authorize(config);
    const before = server.countGrants("authorization_code");
    const tampered = new URL(a.callbackUrl);
    tampered.searchParams.set("state", `${a.request.state}x`);
    const err = await rejection(exchange(config, { ...a, callbackUrl: tampered.href }));
    expect(err).toBeInstanceOf(OAuthCallbackError);
    expect((err as OAuthCallbackError).reason).toBe("state_mismatch");
    expect(server.countGrants("authorization_code")).toBe(before);
  });

  it("maps a denied consent to access_denied with a readable message", async () => {
    const config = authCodeConfig(server);
    const a = await authorize(config, "deny");
    const err = await rejection(exchange(config, a));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "access_denied", status: undefined, isInvalidGrant: false });
    expect(err.message).toMatch(/^Access was denied at the provider \(access_denied: The user denied the request\)$/);
  });

  describe("RFC 9207 issuer check", () => {
    it("refuses a callback carrying another issuer", async () => {
      const config = authCodeConfig(server);
      const a = await authorize(config);
      const forged = new URL(a.callbackUrl);
      forged.searchParams.set("iss", "https://evil.example");
      const err = await rejection(exchange(config, { ...a, callbackUrl: forged.href }));
      expect(err).toMatchObject({ name: "OAuthCallbackError", reason: "issuer_mismatch" });
    });

    it("refuses a callback without iss when the provider advertises it", async () => {
      const config = authCodeConfig(server);
      const a = await authorize(config);
      const stripped = new URL(a.callbackUrl);
      stripped.searchParams.delete("iss");
      const err = await rejection(exchange(config, { ...a, callbackUrl: stripped.href }));
      expect(err).toMatchObject({ name: "OAuthCallbackError", reason: "issuer_mismatch" });
    });

    it("checks against expectedIssuer when given", async () => {
      const config = authCodeConfig(server, "authCodeBasic", { issuer: undefined });
      const a = await authorize(config);
      const err = await rejection(exchange(config, a, { expectedIssuer: "https://other.example" }));
      expect(err).toMatchObject({ name: "OAuthCallbackError", reason: "issuer_mismatch" });
    });

    it("cannot check, and so ignores, iss when no issuer is configured", async () => {
      const config = authCodeConfig(server, "authCodeBasic", { issuer: undefined, issParameterSupported: undefined });
      const tokens = await exchange(config, await authorize(config));
      expect(tokens.accessToken).toBeTruthy();
    });
  });

  it("completes on the run-wide server from vitest globalSetup (autoApprove, no pages)", async () => {
    const issuer = process.env.OAUTH_TEST_ISSUER!;
    const redirectUri = process.env.OAUTH_TEST_REDIRECT_URI!;
    const config = authCodeConfig({ issuer, clients: server.clients }, "authCodePost");
    const request = await buildAuthorizationRequest(config, { redirectUri }, INSECURE);
    const first = await fetch(request.url, { redirect: "manual" });
    // Straight to the interaction, which answers with a redirect instead of a page.
    const interaction = await fetch(new URL(first.headers.get("location")!, issuer), {
      redirect: "manual",
      headers: {
        cookie: first.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; "),
      },
    });
    expect(interaction.status).toBe(303);
    const callbackUrl = await driveAuthorization(request.url);
    const tokens = await exchangeAuthorizationCode(
      config,
      { callbackUrl, expectedState: request.state, codeVerifier: request.codeVerifier, redirectUri },
      INSECURE,
    );
    const echo = await (await callResource(process.env.OAUTH_TEST_RESOURCE_URL!, tokens.accessToken)).json();
    expect(echo.token).toMatchObject({ accountId: "test-user", clientId: "plugboard-post" });
  });

  it("rejects a code that was already used", async () => {
    const config = authCodeConfig(server);
    const a = await authorize(config);
    await exchange(config, a);
    const err = await rejection(exchange(config, a));
    expect(err).toMatchObject({ name: "OAuthProviderError", error: "invalid_grant" });
  });
});
