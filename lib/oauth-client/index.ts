/**
 * OAuth 2.0 client protocol work on oauth4webapi: discovery, authorization code (+PKCE S256, RFC 9207
 * iss check), refresh, client credentials. Pure: callers store state/verifier and tokens themselves.
 * Every function takes OAuthRequestOptions {fetch?, allowInsecureRequests?, timeoutMs?} last.
 * Server-only (client secrets); a client-side form can import the schemas from "./config" directly.
 */
export {
  authorizationCodeConfigSchema,
  clientCredentialsConfigSchema,
  type AuthorizationCodeConfig,
  type AuthorizationCodeConfigInput,
  type ClientCredentialsConfig,
  type ClientCredentialsConfigInput,
} from "./config";
export { discover, type DiscoveredServer } from "./discovery";
export { buildAuthorizationRequest, exchangeAuthorizationCode, type AuthorizationRequest, type CallbackParams } from "./authorization-code";
export { refreshAccessToken, requestClientCredentialsToken } from "./token-grants";
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
