import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { discover, OAuthConfigError, OAuthProtocolError, OAuthTransientError } from "./index";
import { INSECURE, rejection } from "./test-fixtures";

let oauthOnly: OAuthTestServer;
let openidOnly: OAuthTestServer;
beforeAll(async () => {
  [oauthOnly, openidOnly] = await Promise.all([startOAuthTestServer({ discovery: "oauth" }), startOAuthTestServer({ discovery: "openid" })]);
});
afterAll(async () => {
  await Promise.all([oauthOnly?.stop(), openidOnly?.stop()]);
});

describe("discover", () => {
  it("reads the global test server's RFC 8414 metadata", async () => {
    const issuer = process.env.OAUTH_TEST_ISSUER!;
    const found = await discover(issuer, INSECURE);
    expect(found).toMatchObject({
      issuer,
      authorizeUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      issParameterSupported: true,
      source: "oauth-authorization-server",
    });
    expect(found.codeChallengeMethodsSupported).toEqual(["S256"]);
    expect(found.scopesSupported).toEqual(expect.arrayContaining(["read:things", "write:things"]));
    expect(found.grantTypesSupported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]));
  });

  it("uses whichever well-known document the server has", async () => {
    expect((await discover(oauthOnly.issuer, INSECURE)).source).toBe("oauth-authorization-server");
    const viaOpenid = await discover(openidOnly.issuer, INSECURE);
    expect(viaOpenid).toMatchObject({ source: "openid-configuration", tokenUrl: `${openidOnly.issuer}/token` });
  });

  it("refuses metadata that names another issuer", async () => {
    // Same server, reached under another name: its documents say 127.0.0.1, not localhost.
    const err = await rejection(discover(oauthOnly.issuer.replace("127.0.0.1", "localhost"), INSECURE));
    expect(err).toBeInstanceOf(OAuthProtocolError);
    expect(err.message).toMatch(/No usable OAuth metadata .*issuer/);
  });

  it("reports a server without metadata", async () => {
    const err = await rejection(discover(`${oauthOnly.issuer}/nothing-here`, INSECURE));
    expect(err).toBeInstanceOf(OAuthProtocolError);
    expect(err).toMatchObject({ status: 404 });
  });

  it("refuses http:// unless allowInsecureRequests is set", async () => {
    await expect(discover(oauthOnly.issuer)).rejects.toBeInstanceOf(OAuthConfigError);
    await expect(discover("not a url", INSECURE)).rejects.toBeInstanceOf(OAuthConfigError);
  });

  it("reports a server that cannot be reached as transient", async () => {
    const stopped = await startOAuthTestServer();
    await stopped.stop();
    const err = await rejection(discover(stopped.issuer, INSECURE));
    expect(err).toBeInstanceOf(OAuthTransientError);
    expect(err).toMatchObject({ reason: "network" });
    expect(err.message).toMatch(/Could not reach 127\.0\.0\.1:\d+/);
  });
});
