/**
 * OAuth 2.0 client protocol work on oauth4webapi: discovery, authorization code (+PKCE S256, RFC 9207
 * iss check), refresh, client credentials, password (legacy) and JWT bearer grants; client authentication by
 * secret (basic, post) or JWT assertion (client_secret_jwt, private_key_jwt). Pure: callers store state/verifier and tokens themselves.
 * Every function takes OAuthRequestOptions {fetch?, allowInsecureRequests?, timeoutMs?} last.
 * Server-only (client secrets); a client-side form can import the schemas from "./config" directly.
 */
export {
  ASSERTION_AUDIENCES,
  ASSERTION_SIGNING_ALGS,
  authorizationCodeConfigSchema,
  CLIENT_AUTH_METHODS,
  clientCredentialsConfigSchema,
  jwtBearerConfigSchema,
  passwordGrantConfigSchema,
  type AssertionSigningAlg,
  type AuthorizationCodeConfig,
  type AuthorizationCodeConfigInput,
  type ClientAuthMethod,
  type ClientAuthSettings,
  type ClientCredentialsConfig,
  type ClientCredentialsConfigInput,
  type JwtBearerConfig,
  type JwtBearerConfigInput,
  type PasswordGrantConfig,
  type PasswordGrantConfigInput,
} from "./config";
export { discover, type DiscoveredServer } from "./discovery";
export { buildAuthorizationRequest, exchangeAuthorizationCode, type AuthorizationRequest, type CallbackParams } from "./authorization-code";
export {
  JWT_BEARER_GRANT_TYPE,
  refreshAccessToken,
  requestClientCredentialsToken,
  requestJwtBearerToken,
  requestPasswordToken,
} from "./token-grants";
export { pemBodyLines } from "./client-auth";
export type { TokenSet } from "./token-set";
export type { OAuthRequestOptions } from "./transport";
export {
  OAuthCallbackError,
  OAuthConfigError,
  OAuthError,
  OAuthProtocolError,
  OAuthProviderError,
  OAuthTransientError,
} from "./errors";
