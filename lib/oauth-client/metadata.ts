import "server-only";
import * as oauth from "oauth4webapi";
import type { AuthorizationCodeConfig, ClientCredentialsConfig } from "./config";

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

export function clientFor(config: AuthorizationCodeConfig | ClientCredentialsConfig): {
  client: oauth.Client;
  auth: oauth.ClientAuth;
} {
  return {
    client: { client_id: config.clientId, token_endpoint_auth_method: config.clientAuth },
    auth: config.clientAuth === "client_secret_post" ? oauth.ClientSecretPost(config.clientSecret) : oauth.ClientSecretBasic(config.clientSecret),
  };
}
