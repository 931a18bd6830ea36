import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { JwtAuthTestClient } from "@/e2e/support/oauth-test-config";
import { TEST_RSA_PRIVATE_KEY } from "@/e2e/support/oauth-test-keys";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { createMasker } from "@/lib/http";
import { pemBodyLines, requestClientCredentialsToken } from "@/lib/oauth-client";
import { checkClientAuth, clientAuthFields, clientAuthIssuerField } from "./oauth-client-auth";
import { clientAuthDerivedSecrets, clientAuthSettings } from "./oauth-client-auth-server";

// The pieces as an OAuth type uses them: its schema spreads the fields, the server helper turns the parsed
// config and the secrets into lib/oauth-client settings, and oidc-provider checks the result.
const schema = z.object({ clientId: z.string(), ...clientAuthFields, ...clientAuthIssuerField }).superRefine(checkClientAuth);

let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthTestServer();
});
afterAll(() => server?.stop());

function settingsFor(c: JwtAuthTestClient, overrides: Partial<z.input<typeof schema>> = {}) {
  const { clientSecret, privateKey, ...config } = schema.parse({
    clientId: c.clientId,
    clientAuth: c.clientAuth,
    clientSecret: c.clientSecret,
    privateKey: c.privateKeyPem,
    keyId: c.keyId,
    signingAlg: c.signingAlg === "HS256" ? undefined : c.signingAlg,
    ...overrides,
  });
  const secrets = { clientSecret: clientSecret || undefined, privateKey: privateKey || undefined };
  return { clientId: config.clientId, ...clientAuthSettings(config, secrets) };
}

describe("client authentication pieces against oidc-provider", () => {
  it.each(["privateKeyJwtEs256", "privateKeyJwtPs256", "clientSecretJwt"] as const)("%s from form values gets a token", async (which) => {
    const c = server.jwtAuthClients[which];
    const tokens = await requestClientCredentialsToken(
      { tokenUrl: server.tokenUrl, scopes: ["read:things"], ...settingsFor(c) },
      { allowInsecureRequests: true },
    );
    expect(tokens.accessToken).toBeTruthy();
    expect(server.events.filter((e) => e.type === "token").at(-1)).toMatchObject({
      status: 200,
      clientAuth: "client_assertion",
      clientId: c.clientId,
    });
  });

  it("sends the issuer as the audience when chosen", async () => {
    const c = server.jwtAuthClients.privateKeyJwtRs256;
    await requestClientCredentialsToken(
      { tokenUrl: server.tokenUrl, ...settingsFor(c, { assertionAudience: "issuer", issuer: server.issuer }) },
      { allowInsecureRequests: true },
    );
    const call = server.events.filter((e) => e.type === "token").at(-1);
    expect(call?.type === "token" && call.status).toBe(200);
  });

  it("passes no client secret with private_key_jwt, and no key with the secret methods", () => {
    expect(settingsFor(server.jwtAuthClients.privateKeyJwtRs256, { clientSecret: "left-over-secret" })).toMatchObject({
      clientSecret: undefined,
      privateKeyPem: TEST_RSA_PRIVATE_KEY,
      keyId: "test-rsa",
    });
    expect(settingsFor(server.jwtAuthClients.clientSecretJwt, { privateKey: TEST_RSA_PRIVATE_KEY })).toMatchObject({
      privateKeyPem: undefined,
      clientSecret: server.jwtAuthClients.clientSecretJwt.clientSecret,
    });
  });
});

describe("masking a private key", () => {
  it("needs the derived secrets for the key's lines and other line endings", () => {
    const wholeOnly = createMasker([TEST_RSA_PRIVATE_KEY]);
    const withDerived = createMasker([TEST_RSA_PRIVATE_KEY, ...clientAuthDerivedSecrets({ privateKey: TEST_RSA_PRIVATE_KEY })]);
    const lines = pemBodyLines(TEST_RSA_PRIVATE_KEY);
    const leaks = [TEST_RSA_PRIVATE_KEY.replace(/\n/g, "\r\n"), `error near ${lines[5]}`, JSON.stringify({ key: TEST_RSA_PRIVATE_KEY })];
    // The whole value alone misses a key quoted with other line endings or in part.
    expect(leaks.some((t) => lines.some((l) => wholeOnly.text(t).includes(l)))).toBe(true);
    for (const text of leaks) {
      const shown = withDerived.text(text);
      for (const line of lines) expect(shown).not.toContain(line);
    }
  });
});
