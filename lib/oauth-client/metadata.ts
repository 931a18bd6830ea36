import "server-only";
import type * as oauth from "oauth4webapi";

/**
 * oauth4webapi works on authorization server metadata; connections store endpoints instead, so the
 * metadata is assembled from them.
 */
export function serverFor(
  endpoints: { tokenUrl: string; authorizeUrl?: string; issuer?: string; issParameterSupported?: boolean },
  tokenUrl = endpoints.tokenUrl,
): oauth.AuthorizationServer {
  return {
    // Without a configured issuer, the authorization endpoint's origin stands in; callbacks then skip the
    // iss check (see exchangeAuthorizationCode) since there is nothing trustworthy to compare with.
    issuer: endpoints.issuer ?? new URL(endpoints.authorizeUrl ?? endpoints.tokenUrl).origin,
    authorization_endpoint: endpoints.authorizeUrl,
    token_endpoint: tokenUrl,
    authorization_response_iss_parameter_supported: endpoints.issParameterSupported,
  };
}
