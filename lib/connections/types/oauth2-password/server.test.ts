import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHLIB_CLIENTS, AUTHLIB_USERS, startAuthlibServer, type AuthlibServer } from "@/e2e/support/authlib-server";
import { TEST_RSA_PRIVATE_KEY } from "@/e2e/support/oauth-test-keys";
import { executeHttpRequest } from "@/lib/http";
import { loopbackAllowed } from "@/lib/http/testing/executor-helpers";
import { typeConnection } from "../../testing/type-provider";
import { oauth2PasswordForm } from "./form";
import { oauth2PasswordServer } from "./server";

// End to end: the type's form input → its tokens.obtain → Authlib's password grant (with each client
// authentication) → a request through the guarded executor carrying the token → Authlib's resource endpoint.
let server: AuthlibServer;
beforeAll(async () => {
  server = await startAuthlibServer();
});
afterAll(() => server?.stop());

function connection(which: keyof typeof AUTHLIB_CLIENTS, overrides: Partial<typeof oauth2PasswordForm.defaults> = {}) {
  const c = AUTHLIB_CLIENTS[which];
  return typeConnection(oauth2PasswordForm, oauth2PasswordServer, {
    ...oauth2PasswordForm.defaults,
    name: "Internal API",
    tokenUrl: server.tokenUrl,
    username: "alice",
    password: AUTHLIB_USERS.alice,
    clientId: c.clientId,
    clientAuth: c.clientAuth,
    ...("clientSecret" in c ? { clientSecret: c.clientSecret } : { privateKey: TEST_RSA_PRIVATE_KEY, keyId: "test-rsa" }),
    scopes: "read",
    ...overrides,
  });
}

const get = (c: ReturnType<typeof connection>) =>
  executeHttpRequest({ method: "GET", url: `${server.url}/resource/orders` }, { provider: c.provider, allowedTargets: loopbackAllowed });

describe("oauth2_password", () => {
  it.each(["basic", "post", "privateKeyJwt"] as const)("sends a token issued for the user's password (client auth %s)", async (which) => {
    const result = await get(connection(which));
    expect(result.ok && result.status).toBe(200);
    expect(result.ok && result.output).toMatchObject({
      token: { client_id: AUTHLIB_CLIENTS[which].clientId, sub: "alice", scope: "read", grant_type: "password" },
    });
    expect((await server.tokenCalls()).at(-1)).toMatchObject({ grantType: "password", clientAuth: AUTHLIB_CLIENTS[which].clientAuth, status: 200 });
  });

  it("says a wrong password was refused, without showing it", async () => {
    const wrong = "wrong-password-for-alice";
    const result = await get(connection("post", { password: wrong }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(
      'the connection\'s credentials could not be applied: The provider refused the username and password (invalid_request: Invalid "username" or "password" in request.)',
    );
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it("says a wrong client secret was refused", async () => {
    const result = await get(connection("basic", { clientSecret: "wrongSecret0123456789" }));
    expect(!result.ok && result.message).toMatch(/The provider refused the username and password \(invalid_client/);
  });

  it("warns that the grant is legacy, and names the field a method needs", () => {
    expect(oauth2PasswordForm.warning).toMatch(/RFC 9700 §2\.4 .* MUST NOT be used/);
    const base = { ...oauth2PasswordForm.defaults, name: "x", tokenUrl: "https://auth.example/token", username: "u", password: "p", clientId: "cid" };
    const issues = (input: Partial<typeof base>) =>
      Object.fromEntries((oauth2PasswordForm.schema.safeParse({ ...base, ...input }).error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    expect(issues({ clientAuth: "private_key_jwt" })).toEqual({ privateKey: "Paste the private key, or load its .pem file." });
    expect(issues({ clientAuth: "client_secret_jwt" })).toEqual({ clientSecret: "Enter the client secret." });
    expect(issues({ clientAuth: "private_key_jwt", privateKey: "not a key" })).toMatchObject({
      privateKey: "Paste an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- …).",
    });
    expect(issues({ clientAuth: "client_secret_jwt", clientSecret: "s", assertionAudience: "issuer" })).toEqual({
      issuer: "Enter the issuer identifier, or send the token URL as the audience.",
    });
    expect(issues({ clientAuth: "private_key_jwt", privateKey: TEST_RSA_PRIVATE_KEY })).toEqual({});
  });
});
