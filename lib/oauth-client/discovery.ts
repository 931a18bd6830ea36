import * as oauth from "oauth4webapi";
import { OAuthConfigError, OAuthProtocolError, OAuthTransientError } from "./errors";
import { callMasker, requestOptions, toOAuthError, type OAuthRequestOptions } from "./transport";

/** What a connection form can prefill from a provider's metadata. */
export interface DiscoveredServer {
  issuer: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  revocationUrl?: string;
  scopesSupported?: string[];
  codeChallengeMethodsSupported?: string[];
  tokenEndpointAuthMethodsSupported?: string[];
  grantTypesSupported?: string[];
  /** RFC 9207: callbacks carry `iss`; store it as config.issParameterSupported. */
  issParameterSupported: boolean;
  /** Which document answered. */
  source: "oauth-authorization-server" | "openid-configuration";
}

/**
 * Reads RFC 8414 `/.well-known/oauth-authorization-server`, then OpenID `/.well-known/openid-configuration`.
 * The document's `issuer` must equal issuerUrl (checked by oauth4webapi), so metadata cannot be planted
 * for another issuer.
 */
export async function discover(issuerUrl: string, opts: OAuthRequestOptions = {}): Promise<DiscoveredServer> {
  if (!URL.canParse(issuerUrl)) throw new OAuthConfigError(`${issuerUrl} is not a URL`);
  const issuer = new URL(issuerUrl);
  const failures: Error[] = [];
  for (const algorithm of ["oauth2", "oidc"] as const) {
    try {
      const res = await oauth.discoveryRequest(issuer, { ...requestOptions(opts), algorithm });
      const as = await oauth.processDiscoveryResponse(issuer, res);
      return {
        issuer: as.issuer,
        authorizeUrl: as.authorization_endpoint,
        tokenUrl: as.token_endpoint,
        revocationUrl: as.revocation_endpoint,
        scopesSupported: as.scopes_supported,
        codeChallengeMethodsSupported: as.code_challenge_methods_supported,
        tokenEndpointAuthMethodsSupported: as.token_endpoint_auth_methods_supported,
        grantTypesSupported: as.grant_types_supported,
        issParameterSupported: as.authorization_response_iss_parameter_supported === true,
        source: algorithm === "oauth2" ? "oauth-authorization-server" : "openid-configuration",
      };
    } catch (err) {
      // Discovery sends no secret; the caller's (if any) are still masked.
      const mapped = await toOAuthError(err, "the metadata request", callMasker(opts, []));
      if (mapped instanceof OAuthConfigError) throw mapped;
      failures.push(mapped);
    }
  }
  const transient = failures.find((f) => f instanceof OAuthTransientError);
  if (transient && failures.every((f) => f instanceof OAuthTransientError)) throw transient;
  // A 404 is the expected miss; anything else (issuer mismatch, broken JSON) says more.
  const telling = failures.find((f) => !(f instanceof OAuthProtocolError && f.status === 404)) ?? failures[0];
  throw new OAuthProtocolError(
    `No usable OAuth metadata for ${issuer.href} (tried /.well-known/oauth-authorization-server and ` +
      `/.well-known/openid-configuration): ${telling?.message}`,
    telling instanceof OAuthProtocolError ? telling.status : undefined,
  );
}
