import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHLIB_SERVICE_ACCOUNT, startAuthlibServer, type AuthlibServer } from "@/e2e/support/authlib-server";
import { TEST_EC_PRIVATE_KEY, TEST_OTHER_RSA_PRIVATE_KEY, TEST_RSA_PRIVATE_KEY } from "@/e2e/support/oauth-test-keys";
import { executeHttpRequest } from "@/lib/http";
import { loopbackAllowed } from "@/lib/http/testing/executor-helpers";
import { pemBodyLines } from "@/lib/oauth-client";
import { typeConnection } from "../../testing/type-provider";
import { COMMON_DEFAULTS } from "../common";
import { oauth2JwtBearerForm } from "./form";
import { oauth2JwtBearerServer } from "./server";

// End to end: the type's form input → its tokens.obtain → Authlib's JWTBearerGrant → a request through the
// guarded executor carrying the token → Authlib's resource endpoint.
let server: AuthlibServer;
let shortLived: AuthlibServer;
beforeAll(async () => {
  [server, shortLived] = await Promise.all([startAuthlibServer(), startAuthlibServer({ accessTokenTtlSeconds: 1 })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), shortLived?.stop()]);
});

function connection(peer: AuthlibServer, overrides: Partial<typeof oauth2JwtBearerForm.defaults> = {}) {
  return typeConnection(oauth2JwtBearerForm, oauth2JwtBearerServer, {
    ...oauth2JwtBearerForm.defaults,
    ...COMMON_DEFAULTS,
    name: "Reporting service account",
    tokenUrl: peer.tokenUrl,
    assertionIssuer: AUTHLIB_SERVICE_ACCOUNT.issuer,
    subject: "alice",
    scopes: "read, write",
    assertionKey: TEST_RSA_PRIVATE_KEY,
    assertionKeyId: "test-rsa",
    ...overrides,
  });
}

const get = (url: string, c: ReturnType<typeof connection>) =>
  executeHttpRequest({ method: "GET", url }, { provider: c.provider, allowedTargets: loopbackAllowed });

describe("oauth2_jwt_bearer", () => {
  it("sends a token Authlib issued for the signed assertion", async () => {
    const c = connection(server);
    const result = await get(`${server.url}/resource/reports`, c);
    expect(result.ok && result.status).toBe(200);
    expect(result.ok && result.output).toMatchObject({
      token: {
        client_id: AUTHLIB_SERVICE_ACCOUNT.issuer,
        sub: "alice",
        scope: "read write",
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      },
    });
    // The token is reused until refused.
    await get(`${server.url}/resource/again`, c);
    expect(c.obtained()).toBe(1);
  });

  it("signs with ES256 when configured", async () => {
    const c = connection(server, { assertionKey: TEST_EC_PRIVATE_KEY, assertionKeyId: "test-ec", assertionAlg: "ES256" });
    const result = await get(server.resourceUrl, c);
    expect(result.ok && result.status).toBe(200);
  });

  it("asks for a new token when the resource refuses an expired one", async () => {
    const c = connection(shortLived);
    expect((await get(shortLived.resourceUrl, c)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    const result = await get(shortLived.resourceUrl, c);
    expect(result.ok && result.status).toBe(200);
    expect(c.obtained()).toBe(2);
  });

  it("says the provider refused a key it does not know, and never shows the key", async () => {
    const c = connection(server, { assertionKey: TEST_OTHER_RSA_PRIVATE_KEY });
    const result = await get(server.resourceUrl, c);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.kind).toBe("credentials");
    expect(!result.ok && result.message).toBe(
      "the connection's credentials could not be applied: The provider refused the JWT assertion (invalid_grant)",
    );
    const shown = JSON.stringify(result);
    for (const line of pemBodyLines(TEST_OTHER_RSA_PRIVATE_KEY)) expect(shown).not.toContain(line);
  });

  it("names the field of a missing key, a bad lifetime and a client ID without its secret", () => {
    const r = oauth2JwtBearerForm.schema.safeParse({
      ...oauth2JwtBearerForm.defaults,
      name: "x",
      tokenUrl: "https://auth.example/token",
      assertionIssuer: "svc",
      assertionLifetime: "99999",
      clientId: "cid",
    });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    expect(byField).toMatchObject({
      assertionKey: "Paste the service account's private key, or load its .pem file.",
      assertionLifetime: "Enter seconds between 10 and 3600.",
      clientSecret: "Enter the client secret.",
    });
  });

  it("lists the key's lines as derived secrets, and the default allowed host is the token URL's", () => {
    const c = connection(server);
    expect(c.provider.allowedHosts).toEqual([new URL(server.url).host]);
    expect(oauth2JwtBearerServer.derivedSecrets?.(c.config, c.secrets)).toEqual(pemBodyLines(TEST_RSA_PRIVATE_KEY));
  });
});
