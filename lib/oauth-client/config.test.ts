import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  authorizationCodeConfigSchema,
  buildAuthorizationRequest,
  clientCredentialsConfigSchema,
  exchangeAuthorizationCode,
  OAuthConfigError,
  requestClientCredentialsToken,
} from "./index";
import { INSECURE, rejection } from "./test-fixtures";

const base = {
  authorizeUrl: "https://auth.example/authorize?tenant=t1",
  tokenUrl: "https://auth.example/token",
  clientId: "cid",
  clientSecret: "secret",
  scopes: ["read:a", "write:b"],
};
const redirectUri = "https://plugboard.example/oauth/callback";

describe("config schemas", () => {
  it("defaults to PKCE, client_secret_basic and space-separated scopes", () => {
    expect(authorizationCodeConfigSchema.parse(base)).toMatchObject({
      usePkce: true,
      clientAuth: "client_secret_basic",
      scopeSeparator: " ",
      extraAuthorizeParams: {},
      tokenRequestHeaders: {},
    });
  });

  it.each([
    [{ tokenRequestHeaders: { Authorization: "Bearer x" } }, /Authorization header is set by the OAuth client/],
    [{ tokenRequestHeaders: { "Bad Header": "x" } }, /not a valid header name/],
    [{ tokenRequestHeaders: { "X-A": "a\r\nX-B: b" } }, /line breaks/],
    [{ extraAuthorizeParams: { state: "x" } }, /"state" is set by Plugboard/],
    [{ extraAuthorizeParams: { code_challenge_method: "plain" } }, /"code_challenge_method" is set by Plugboard/],
    [{ authorizeUrl: "ftp://auth.example" }, /authorizeUrl: must be an http\(s\) URL/],
    [{ scopes: ["two words"] }, /scopes cannot contain spaces/],
    [{ clientId: " " }, /enter the client ID/],
  ])("rejects %j", async (override, message) => {
    const err = await rejection(buildAuthorizationRequest({ ...base, ...override }, { redirectUri }));
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err.message).toMatch(message);
  });

  it("reserves grant parameters in client credentials extras", () => {
    const r = clientCredentialsConfigSchema.safeParse({ ...base, extraTokenParams: { grant_type: "password" } });
    expect(r.success).toBe(false);
  });

  it("refuses an invalid config before any request", async () => {
    let called = false;
    const spy = (async () => {
      called = true;
      return new Response();
    }) as typeof fetch;
    await expect(requestClientCredentialsToken({ ...base, clientSecret: "" }, { fetch: spy })).rejects.toBeInstanceOf(OAuthConfigError);
    expect(called).toBe(false);
  });
});

describe("buildAuthorizationRequest", () => {
  it("builds a code request with random state and an S256 challenge of the verifier", async () => {
    const a = await buildAuthorizationRequest({ ...base, extraAuthorizeParams: { access_type: "offline" } }, { redirectUri });
    const b = await buildAuthorizationRequest(base, { redirectUri });
    const q = new URL(a.url).searchParams;
    expect(a.url.startsWith("https://auth.example/authorize?")).toBe(true);
    expect(Object.fromEntries(q)).toMatchObject({
      tenant: "t1",
      access_type: "offline",
      response_type: "code",
      client_id: "cid",
      redirect_uri: redirectUri,
      state: a.state,
      code_challenge_method: "S256",
      scope: "read:a write:b",
    });
    expect(q.get("code_challenge")).toBe(createHash("sha256").update(a.codeVerifier!).digest("base64url"));
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(b.state).not.toBe(a.state);
    expect(b.codeVerifier).not.toBe(a.codeVerifier);
    expect(q.has("nonce")).toBe(false);
  });

  it.each([
    [" ", "scope=read%3Aa%20write%3Ab"],
    [",", "scope=read%3Aa,write%3Ab"],
    ["+", "scope=read%3Aa%2Bwrite%3Ab"],
  ] as const)("joins scopes with %j as %s", async (scopeSeparator, expected) => {
    const { url } = await buildAuthorizationRequest({ ...base, scopeSeparator }, { redirectUri });
    expect(url).toContain(expected);
  });

  it("leaves scope out when none are configured", async () => {
    const { url } = await buildAuthorizationRequest({ ...base, scopes: [] }, { redirectUri });
    expect(new URL(url).searchParams.has("scope")).toBe(false);
  });

  it("refuses an http:// authorize URL unless allowInsecureRequests is set", async () => {
    const insecure = { ...base, authorizeUrl: "http://127.0.0.1:9/auth" };
    await expect(buildAuthorizationRequest(insecure, { redirectUri })).rejects.toThrow(/only https:\/\//);
    await expect(buildAuthorizationRequest(insecure, { redirectUri }, INSECURE)).resolves.toHaveProperty("state");
  });
});

describe("exchangeAuthorizationCode input checks", () => {
  it("needs the stored state and verifier", async () => {
    const callbackUrl = `${redirectUri}?code=c&state=s`;
    await expect(exchangeAuthorizationCode(base, { callbackUrl, expectedState: "", codeVerifier: "v", redirectUri })).rejects.toThrow(
      /expectedState is required/,
    );
    await expect(exchangeAuthorizationCode(base, { callbackUrl, expectedState: "s", redirectUri })).rejects.toThrow(/codeVerifier is required/);
  });

  it("reports a callback without code", async () => {
    const err = await rejection(
      exchangeAuthorizationCode(base, { callbackUrl: `${redirectUri}?state=s`, expectedState: "s", codeVerifier: "v", redirectUri }),
    );
    expect(err).toMatchObject({ name: "OAuthCallbackError", reason: "missing_code" });
  });
});
