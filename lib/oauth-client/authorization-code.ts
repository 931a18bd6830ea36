import "server-only";
import * as oauth from "oauth4webapi";
import { authorizationCodeConfigSchema, parseConfig, type AuthorizationCodeConfigInput } from "./config";
import { OAuthCallbackError, OAuthConfigError } from "./errors";
import { clientAuthSecrets, clientFor } from "./client-auth";
import { serverFor } from "./metadata";
import { toTokenSet, type TokenSet } from "./token-set";
import { assertUrlAllowed, callMasker, requestOptions, toCallbackError, toOAuthError, type OAuthRequestOptions } from "./transport";

export interface AuthorizationRequest {
  /** Where to send the user's browser. */
  url: string;
  /** Store server-side (bound to the user's session) and pass back as expectedState. */
  state: string;
  /** Store server-side; undefined only when the config turned PKCE off. */
  codeVerifier?: string;
}

// No OpenID `nonce` is sent: PKCE already binds the code to this request (RFC 9700 §2.1.1), and a nonce
// would make a missing ID token fatal for providers that accept `openid` but return none.
export async function buildAuthorizationRequest(
  input: AuthorizationCodeConfigInput,
  params: { redirectUri: string },
  opts: OAuthRequestOptions = {},
): Promise<AuthorizationRequest> {
  const config = parseConfig(authorizationCodeConfigSchema, input);
  assertUrlAllowed(config.authorizeUrl, opts);
  if (!URL.canParse(params.redirectUri)) throw new OAuthConfigError(`Redirect URI ${params.redirectUri} is not an absolute URL`);

  const url = new URL(config.authorizeUrl);
  for (const [name, value] of Object.entries(config.extraAuthorizeParams)) url.searchParams.set(name, value);
  const state = oauth.generateRandomState();
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("state", state);
  let codeVerifier: string | undefined;
  if (config.usePkce) {
    codeVerifier = oauth.generateRandomCodeVerifier();
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  if (config.scopes.length > 0) {
    // Encoded by hand so a space goes as %20 (URLSearchParams writes "+", which some providers read
    // literally); a "+" separator is a literal plus, %2B, since a raw "+" in a query decodes as a space.
    url.searchParams.delete("scope");
    const glue = { " ": "%20", ",": ",", "+": "%2B" }[config.scopeSeparator];
    url.search = `${url.searchParams.toString()}&scope=${config.scopes.map(encodeURIComponent).join(glue)}`;
  }
  return { url: url.href, state, codeVerifier };
}

export interface CallbackParams {
  /** The full callback URL the browser arrived at, query included. */
  callbackUrl: string | URL;
  expectedState: string;
  codeVerifier?: string;
  /** The redirect_uri used in the authorization request. */
  redirectUri: string;
  /** Overrides config.issuer for the RFC 9207 `iss` check. */
  expectedIssuer?: string;
}

/**
 * Validates the callback (state, error responses, RFC 9207 `iss`) and exchanges the code. The `iss`
 * parameter is checked whenever an issuer is known (config.issuer or expectedIssuer), and required
 * when config.issParameterSupported is set; without a known issuer it cannot be checked and is ignored.
 */
export async function exchangeAuthorizationCode(
  input: AuthorizationCodeConfigInput,
  params: CallbackParams,
  opts: OAuthRequestOptions = {},
): Promise<TokenSet> {
  const config = parseConfig(authorizationCodeConfigSchema, input);
  if (!params.expectedState) throw new OAuthConfigError("expectedState is required");
  if (config.usePkce && !params.codeVerifier) throw new OAuthConfigError("codeVerifier is required when PKCE is on");
  const issuer = params.expectedIssuer ?? config.issuer;
  const as = serverFor({ ...config, issuer, issParameterSupported: issuer ? config.issParameterSupported : undefined });
  const { client, auth } = await clientFor(config, config.tokenUrl);

  if (!URL.canParse(String(params.callbackUrl))) {
    throw new OAuthCallbackError("The callback URL is not a valid URL", "invalid_response");
  }
  const received = new URL(params.callbackUrl).searchParams;
  if (!issuer) received.delete("iss");
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(as, client, received, params.expectedState);
  } catch (err) {
    throw await toOAuthError(
      toCallbackError(err),
      "the authorization request",
      callMasker(opts, [...clientAuthSecrets(config), params.codeVerifier]),
    );
  }
  if (!validated.get("code")) throw new OAuthCallbackError("The callback carries no authorization code", "missing_code");

  try {
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      validated,
      params.redirectUri,
      config.usePkce ? (params.codeVerifier as string) : oauth.nopkce,
      requestOptions(opts, config.tokenRequestHeaders),
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
    return toTokenSet(tokens, config.scopes, config.scopeSeparator);
  } catch (err) {
    throw await toOAuthError(
      err,
      "the authorization code",
      callMasker(opts, [...clientAuthSecrets(config), validated.get("code") ?? undefined, params.codeVerifier]),
    );
  }
}
