// Test-only helpers shared by this folder's *.test.ts files (not exported from index.ts).
import type { OAuthTestServer } from "@/e2e/support/oauth-test-server";
import type { AuthorizationCodeConfigInput, ClientCredentialsConfigInput } from "./config";

export const REDIRECT_URI = "http://127.0.0.1:3000/oauth/callback";
export const INSECURE = { allowInsecureRequests: true } as const;

export function authCodeConfig(
  server: Pick<OAuthTestServer, "issuer" | "clients">,
  which: "authCodeBasic" | "authCodePost" = "authCodeBasic",
  overrides: Partial<AuthorizationCodeConfigInput> = {},
): AuthorizationCodeConfigInput {
  const c = server.clients[which];
  return {
    authorizeUrl: `${server.issuer}/auth`,
    tokenUrl: `${server.issuer}/token`,
    scopes: ["read:things", "write:things"],
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuth: c.clientAuth,
    issuer: server.issuer,
    issParameterSupported: true,
    ...overrides,
  };
}

export function clientCredentialsConfig(
  server: Pick<OAuthTestServer, "issuer" | "clients">,
  which: "clientCredentialsBasic" | "clientCredentialsPost",
  overrides: Partial<ClientCredentialsConfigInput> = {},
): ClientCredentialsConfigInput {
  const c = server.clients[which];
  return {
    tokenUrl: `${server.issuer}/token`,
    scopes: ["read:things"],
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuth: c.clientAuth,
    ...overrides,
  };
}

/** Calls resourceUrl with the token in the Authorization header. */
export async function callResource(resourceUrl: string, accessToken: string): Promise<Response> {
  return fetch(resourceUrl, { headers: { authorization: `Bearer ${accessToken}` } });
}

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the promise to reject");
}
