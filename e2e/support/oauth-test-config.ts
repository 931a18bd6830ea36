/**
 * Clients, scopes and oidc-provider settings of the OAuth test server. Secrets are fixed and public:
 * this server only ever runs on 127.0.0.1 for tests.
 */

import { createPublicKey } from "node:crypto";
import { TEST_EC_PRIVATE_KEY, TEST_RSA_PRIVATE_KEY } from "./oauth-test-keys";

export const TEST_SCOPES = ["openid", "offline_access", "read:things", "write:things"] as const;

export interface OAuthTestClient {
  clientId: string;
  clientSecret: string;
  clientAuth: "client_secret_basic" | "client_secret_post";
  grantTypes: string[];
}

export const TEST_CLIENTS = {
  /** authorization_code + refresh_token, secret in the Authorization header. */
  authCodeBasic: client("plugboard-basic", "client_secret_basic", ["authorization_code", "refresh_token"]),
  /** authorization_code + refresh_token, secret in the form body. */
  authCodePost: client("plugboard-post", "client_secret_post", ["authorization_code", "refresh_token"]),
  clientCredentialsBasic: client("plugboard-cc-basic", "client_secret_basic", ["client_credentials"]),
  clientCredentialsPost: client("plugboard-cc-post", "client_secret_post", ["client_credentials"]),
} as const;

export type OAuthTestClients = typeof TEST_CLIENTS;

/** A client authenticating with a JWT assertion (RFC 7523 §2.2): HS256 over its secret, or signed with a private key. */
export interface JwtAuthTestClient {
  clientId: string;
  clientAuth: "client_secret_jwt" | "private_key_jwt";
  /** The only assertion alg the server accepts from this client (token_endpoint_auth_signing_alg). */
  signingAlg: "HS256" | "RS256" | "PS256" | "ES256";
  /** client_secret_jwt: the HMAC key. */
  clientSecret?: string;
  /** private_key_jwt: the key the client signs with, and the kid under which its public half is registered. */
  privateKeyPem?: string;
  keyId?: string;
  grantTypes: string[];
}

/** JWT-authenticated clients, registered next to TEST_CLIENTS. */
export const JWT_AUTH_TEST_CLIENTS = {
  privateKeyJwtRs256: keyClient("plugboard-cc-pkjwt-rs256", "RS256", TEST_RSA_PRIVATE_KEY, "test-rsa", ["client_credentials"]),
  privateKeyJwtPs256: keyClient("plugboard-cc-pkjwt-ps256", "PS256", TEST_RSA_PRIVATE_KEY, "test-rsa", ["client_credentials"]),
  privateKeyJwtEs256: keyClient("plugboard-cc-pkjwt-es256", "ES256", TEST_EC_PRIVATE_KEY, "test-ec", ["client_credentials"]),
  /** authorization_code + refresh_token with private_key_jwt. */
  authCodePrivateKeyJwt: keyClient("plugboard-pkjwt", "RS256", TEST_RSA_PRIVATE_KEY, "test-rsa", ["authorization_code", "refresh_token"]),
  clientSecretJwt: {
    clientId: "plugboard-cc-secret-jwt",
    clientAuth: "client_secret_jwt",
    signingAlg: "HS256",
    clientSecret: "plugboard-cc-secret-jwt-secret-0123456789abcdef",
    grantTypes: ["client_credentials"],
  },
} as const satisfies Record<string, JwtAuthTestClient>;

function keyClient(
  clientId: string,
  signingAlg: "RS256" | "PS256" | "ES256",
  privateKeyPem: string,
  keyId: string,
  grantTypes: string[],
): JwtAuthTestClient {
  return { clientId, clientAuth: "private_key_jwt", signingAlg, privateKeyPem, keyId, grantTypes };
}

/** The public JWK oidc-provider verifies a client's assertions with. */
function publicJwk(c: JwtAuthTestClient): Record<string, unknown> {
  const jwk = createPublicKey(c.privateKeyPem ?? "").export({ format: "jwk" });
  return { ...jwk, kid: c.keyId, use: "sig" };
}

function client(clientId: string, clientAuth: OAuthTestClient["clientAuth"], grantTypes: string[]): OAuthTestClient {
  return { clientId, clientSecret: `${clientId}-secret-0123456789abcdef`, clientAuth, grantTypes };
}

/** A client of Plugboard's own OpenID Connect sign-in (lib/sso): the user's email and groups come from the account's claims. */
export interface SsoTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export const SSO_SCOPES = ["openid", "email", "profile"] as const;

function ssoClientMetadata(c: SsoTestClient): Record<string, unknown> {
  return {
    client_id: c.clientId,
    client_secret: c.clientSecret,
    client_name: `Plugboard sign-in ${c.clientId}`,
    token_endpoint_auth_method: "client_secret_basic",
    grant_types: ["authorization_code"],
    response_types: ["code"],
    redirect_uris: c.redirectUris,
    scope: SSO_SCOPES.join(" "),
  };
}

export interface ProviderSettings {
  adapter: unknown;
  ssoClients: SsoTestClient[];
  /** Claims per account id (sub), set by the tests; an account without any has only its sub. */
  accountClaims: Map<string, Record<string, unknown>>;
  jwk: Record<string, unknown>;
  cookieKey: string;
  redirectUris: string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  rotateRefreshTokens: boolean;
}

export function buildProviderConfig(s: ProviderSettings): Record<string, unknown> {
  const scope = TEST_SCOPES.join(" ");
  const config = {
    adapter: s.adapter,
    jwks: { keys: [s.jwk] },
    cookies: { keys: [s.cookieKey] },
    clients: [...Object.values(TEST_CLIENTS), ...Object.values(JWT_AUTH_TEST_CLIENTS)].map((c: OAuthTestClient | JwtAuthTestClient) => {
      const authCode = c.grantTypes.includes("authorization_code");
      const jwtAuth = "signingAlg" in c ? c : undefined;
      return {
        client_id: c.clientId,
        ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
        client_name: `Plugboard test client ${c.clientId}`,
        token_endpoint_auth_method: c.clientAuth,
        ...(jwtAuth ? { token_endpoint_auth_signing_alg: jwtAuth.signingAlg } : {}),
        ...(jwtAuth?.privateKeyPem ? { jwks: { keys: [publicJwk(jwtAuth)] } } : {}),
        grant_types: c.grantTypes,
        response_types: authCode ? ["code"] : [],
        redirect_uris: authCode ? s.redirectUris : [],
        scope: authCode ? scope : "read:things write:things",
      };
    }),
    scopes: [...TEST_SCOPES],
    // `groups` with openid, as Keycloak's and Entra's group claims come without a scope of their own.
    claims: { openid: ["sub", "groups"], email: ["email", "email_verified"], profile: ["name"] },
    // Scope claims in the ID token too (as most providers do), not only from the userinfo endpoint.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    // PKCE for every client; oidc-provider v9 only knows S256.
    pkce: { required: () => true },
    // Refresh tokens whenever the client may use them, with or without offline_access.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: s.rotateRefreshTokens,
    // Tokens outlive the login session, like a real provider's offline access.
    expiresWithSession: async () => false,
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ ...s.accountClaims.get(sub), sub }) }),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true, allowedPolicy: async () => true },
      rpInitiatedLogout: { enabled: false },
    },
    ttl: {
      AccessToken: s.accessTokenTtl,
      ClientCredentials: s.accessTokenTtl,
      RefreshToken: s.refreshTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    // The default error page loads web fonts from the internet.
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = "html";
      const rows = Object.entries(out).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(String(v))}</dd>`);
      ctx.body = `<!doctype html><title>OAuth error</title><h1>OAuth error</h1><dl id="error">${rows.join("")}</dl>`;
    },
  };
  return { ...config, clients: [...config.clients, ...s.ssoClients.map(ssoClientMetadata)] };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
