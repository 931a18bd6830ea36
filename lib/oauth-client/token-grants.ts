import "server-only";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { clientAuthSecrets, clientFor, importSigningKey, pemBodyLines } from "./client-auth";
import {
  authorizationCodeConfigSchema,
  clientCredentialsConfigSchema,
  jwtBearerConfigSchema,
  parseConfig,
  passwordGrantConfigSchema,
  scopeForBody,
  type AuthorizationCodeConfigInput,
  type ClientCredentialsConfigInput,
  type JwtBearerConfig,
  type JwtBearerConfigInput,
  type PasswordGrantConfigInput,
} from "./config";
import { OAuthConfigError } from "./errors";
import { serverFor } from "./metadata";
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
  const tokenUrl = config.refreshUrl ?? config.tokenUrl;
  const as = serverFor(config, tokenUrl);
  const masker = callMasker(opts, [...clientAuthSecrets(config), refreshToken]);
  try {
    const { client, auth } = await clientFor(config, tokenUrl);
    const res = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, requestOptions(opts, config.tokenRequestHeaders));
    const tokens = await oauth.processRefreshTokenResponse(as, client, res);
    const set = toTokenSet(tokens, config.scopes, config.scopeSeparator);
    return { ...set, refreshToken: set.refreshToken ?? refreshToken };
  } catch (err) {
    throw await toOAuthError(err, "the refresh token", masker);
  }
}

export async function requestClientCredentialsToken(input: ClientCredentialsConfigInput, opts: OAuthRequestOptions = {}): Promise<TokenSet> {
  const config = parseConfig(clientCredentialsConfigSchema, input);
  const as = serverFor(config);
  const params = new URLSearchParams(config.extraTokenParams);
  if (config.scopes.length > 0) params.set("scope", scopeForBody(config.scopes, config.scopeSeparator));
  try {
    const { client, auth } = await clientFor(config, config.tokenUrl);
    const res = await oauth.clientCredentialsGrantRequest(as, client, auth, params, requestOptions(opts, config.tokenRequestHeaders));
    const tokens = await oauth.processClientCredentialsResponse(as, client, res);
    return toTokenSet(tokens, config.scopes, config.scopeSeparator);
  } catch (err) {
    throw await toOAuthError(err, "the client credentials", callMasker(opts, clientAuthSecrets(config)));
  }
}

/**
 * The Resource Owner Password grant (RFC 6749 §4.3), with the configured client authentication. Legacy
 * (RFC 9700 §2.4): only for internal APIs that require it. A refused password is an OAuthProviderError.
 */
export async function requestPasswordToken(input: PasswordGrantConfigInput, opts: OAuthRequestOptions = {}): Promise<TokenSet> {
  const config = parseConfig(passwordGrantConfigSchema, input);
  const as = serverFor(config);
  const params = new URLSearchParams(config.extraTokenParams);
  params.set("username", config.username);
  params.set("password", config.password);
  if (config.scopes.length > 0) params.set("scope", scopeForBody(config.scopes, config.scopeSeparator));
  try {
    const { client, auth } = await clientFor(config, config.tokenUrl);
    const res = await oauth.genericTokenEndpointRequest(as, client, auth, "password", params, requestOptions(opts, config.tokenRequestHeaders));
    const tokens = await oauth.processGenericTokenEndpointResponse(as, client, res);
    return toTokenSet(tokens, config.scopes, config.scopeSeparator);
  } catch (err) {
    throw await toOAuthError(err, "the username and password", callMasker(opts, [config.password, ...clientAuthSecrets(config)]));
  }
}

export const JWT_BEARER_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/**
 * The JWT bearer grant (RFC 7523 §2.1): a fresh assertion (iss, sub, aud, iat, exp, jti; `scope` as a claim
 * when the provider wants it there) signed with the service account's key is exchanged for an access token.
 */
export async function requestJwtBearerToken(input: JwtBearerConfigInput, opts: OAuthRequestOptions = {}): Promise<TokenSet> {
  const config = parseConfig(jwtBearerConfigSchema, input);
  const as = serverFor(config);
  const sent: Array<string | undefined> = [
    config.assertionPrivateKeyPem,
    ...pemBodyLines(config.assertionPrivateKeyPem),
    ...clientAuthSecrets(config),
  ];
  try {
    const assertion = await signAssertion(config);
    sent.push(assertion);
    const params = new URLSearchParams(config.extraTokenParams);
    params.set("assertion", assertion);
    if (config.scopes.length > 0 && !config.scopeInAssertion) params.set("scope", scopeForBody(config.scopes, config.scopeSeparator));
    const { client, auth } = await clientFor(config, config.tokenUrl);
    const res = await oauth.genericTokenEndpointRequest(
      as,
      client,
      auth,
      JWT_BEARER_GRANT_TYPE,
      params,
      requestOptions(opts, config.tokenRequestHeaders),
    );
    const tokens = await oauth.processGenericTokenEndpointResponse(as, client, res);
    return toTokenSet(tokens, config.scopes, config.scopeSeparator);
  } catch (err) {
    throw await toOAuthError(err, "the JWT assertion", callMasker(opts, sent));
  }
}

async function signAssertion(config: JwtBearerConfig): Promise<string> {
  const key = await importSigningKey(config.assertionPrivateKeyPem, config.assertionSigningAlg, "The assertion's private key");
  const claims = config.scopeInAssertion && config.scopes.length > 0 ? { scope: scopeForBody(config.scopes, config.scopeSeparator) } : {};
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: config.assertionSigningAlg, typ: "JWT", ...(config.assertionKeyId ? { kid: config.assertionKeyId } : {}) })
    .setIssuer(config.assertionIssuer)
    .setSubject(config.assertionSubject || config.assertionIssuer)
    .setAudience(config.assertionAudienceValue || config.tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + config.assertionLifetimeSeconds)
    .setJti(randomUUID())
    .sign(key);
}
