import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oauthTestControl } from "@/e2e/support/oauth-test-control";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { buildAuthorizationRequest, requestClientCredentialsToken } from "./index";
import { clientCredentialsConfig, INSECURE, REDIRECT_URI } from "./test-fixtures";

// The test server is test infrastructure for this module and the e2e suite; these check the parts the
// OAuth client tests do not reach: the resource's token placement, the pages' selectors and the CLI.

let server: OAuthTestServer;
let token: string;
beforeAll(async () => {
  server = await startOAuthTestServer({ redirectUris: [REDIRECT_URI] });
  token = (await requestClientCredentialsToken(clientCredentialsConfig(server, "clientCredentialsBasic"), INSECURE)).accessToken;
});
afterAll(() => server?.stop());

function withAccessToken(url: URL): URL {
  url.searchParams.set("access_token", token);
  return url;
}

describe("resource endpoint", () => {
  it.each([
    ["header", (u: URL) => ({ url: u, headers: { authorization: `Bearer ${token}` } })],
    ["query", (u: URL) => ({ url: withAccessToken(u), headers: {} })],
    ["both", (u: URL) => ({ url: withAccessToken(u), headers: { authorization: `Bearer ${token}` } })],
  ] as const)("accepts the token in the %s and says where it was", async (location, place) => {
    const { url, headers } = place(new URL(`${server.resourceUrl}/items?x=1`));
    const res = await fetch(url, { method: "POST", headers: { ...headers, "x-extra": "y" }, body: "hello" });
    expect(res.status).toBe(200);
    const echo = await res.json();
    expect(echo).toMatchObject({ method: "POST", path: "/resource/echo/items", body: "hello", query: { x: "1" }, headers: { "x-extra": "y" } });
    expect(echo.token).toMatchObject({ location, clientId: "plugboard-cc-basic" });
    expect(server.events.at(-1)).toMatchObject({ type: "resource", tokenLocation: location, status: 200 });
  });

  it("answers 401 without a token, 401 invalid_token for a bad one, 400 for two different ones", async () => {
    const none = await fetch(server.resourceUrl);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).not.toMatch(/error=/);
    const bad = await fetch(server.resourceUrl, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    const two = await fetch(`${server.resourceUrl}?access_token=other`, { headers: { authorization: `Bearer ${token}` } });
    expect(two.status).toBe(400);
  });
});

describe("login and consent pages", () => {
  it("renders the login page with the documented selectors", async () => {
    const { url } = await buildAuthorizationRequest(
      { authorizeUrl: server.authorizeUrl, tokenUrl: server.tokenUrl, clientId: "plugboard-basic", clientSecret: "x" },
      { redirectUri: REDIRECT_URI },
      INSECURE,
    );
    const redirect = await fetch(url, { redirect: "manual" });
    expect(redirect.status).toBe(303);
    const page = await fetch(new URL(redirect.headers.get("location")!, server.issuer), {
      headers: {
        cookie: redirect.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; "),
      },
    });
    const html = await page.text();
    expect(html).toContain('data-page="login"');
    for (const selector of ['id="login"', 'id="password"', 'id="login-submit"']) expect(html).toContain(selector);
  });
});

describe("CLI", () => {
  it("prints its address as JSON, serves the controls over HTTP and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "e2e/support/oauth-test-server.ts", "--port", "0", "--redirect-uri", "http://localhost:4123/oauth/callback"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
      const info = JSON.parse(line);
      expect(info).toMatchObject({
        issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        redirectUris: ["http://localhost:4123/oauth/callback"],
      });
      expect(info.clients.authCodeBasic.clientId).toBe("plugboard-basic");

      const control = oauthTestControl(info.issuer);
      const tokens = await requestClientCredentialsToken(clientCredentialsConfig(info, "clientCredentialsPost"), INSECURE);
      expect(await control.countGrants("client_credentials")).toBe(1);
      expect(await control.expireAccessTokens()).toBe(1);
      const res = await fetch(info.resourceUrl, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(res.status).toBe(401);
      await control.resetEvents();
      expect((await control.state()).events).toEqual([]);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});
