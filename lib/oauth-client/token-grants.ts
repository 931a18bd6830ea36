import "server-only";
import * as oauth from "oauth4webapi";
import {
  authorizationCodeConfigSchema,
  clientCredentialsConfigSchema,
  parseConfig,
  scopeForBody,
  type AuthorizationCodeConfigInput,
  type ClientCredentialsConfigInput,
} from "./config";
import { OAuthConfigError } from "./errors";
import { clientFor, serverFor } from "./metadata";
import { toTokenSet, type TokenSet } from "./token-set";
import { callMasker, requestOptions, toOAuthError, type OAuthRequestOptions } from "./transport";

/**
 * Refreshes at config.refreshUrl (else tokenUrl). The returned refreshToken is the new one when the
 * provider rotated it, else the one passed in. An OAuthProviderError with isInvalidGrant means the
 * user has to authorize again; an OAuthTransientError means try later.
 */
export async function refreshAccessToken(
  input: AuthorizationCodeConfigInput,
  refreshToken: string,
  opts: OAuthRequestOptions = {},
): Promise<TokenSet> {
  const config = parseConfig(authorizationCodeConfigSchema, input);
  if (!refreshToken) throw new OAuthConfigError("There is no refresh token to use");
  const as = serverFor(config, config.refreshUrl ?? config.tokenUrl);
  const { client, auth } = clientFor(config);
  try {
    const res = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, requestOptions(opts, config.tokenRequestHeaders));
    const tokens = await oauth.processRefreshTokenResponse(as, client, res);
    const set = toTokenSet(tokens, config.scopes, config.scopeSeparator);
    return { ...set, refreshToken: set.refreshToken ?? refreshToken };
  } catch (err) {
    throw await toOAuthError(err, "the refresh token", callMasker(opts, [config.clientSecret, refreshToken]));
  }
}

export async function requestClientCredentialsToken(input: ClientCredentialsConfigInput, opts: OAuthRequestOptions = {}): Promise<TokenSet> {
  const config = parseConfig(clientCredentialsConfigSchema, input);
  const as = serverFor(config);
  const { client, auth } = clientFor(config);
  const params = new URLSearchParams(config.extraTokenParams);
  if (config.scopes.length > 0) params.set("scope", scopeForBody(config.scopes, config.scopeSeparator));
  try {
    const res = await oauth.clientCredentialsGrantRequest(as, client, auth, params, requestOptions(opts, config.tokenRequestHeaders));
    const tokens = await oauth.processClientCredentialsResponse(as, client, res);
    return toTokenSet(tokens, config.scopes, config.scopeSeparator);
  } catch (err) {
    throw await toOAuthError(err, "the client credentials", callMasker(opts, [config.clientSecret]));
  }
}
