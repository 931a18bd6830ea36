import "server-only";
import * as oauth from "oauth4webapi";
import { guardedFetch } from "@/lib/connections/oauth-transport";

const SSO_CALL_TIMEOUT_MS = 15_000;

let sharedSsoFetch: typeof fetch | undefined;

/** Discovery, token, JWKS calls to the provider: through the guarded dispatcher, bounded in time. One per process (the JWKS cache keys on it). */
export function ssoFetch(): typeof fetch {
  if (sharedSsoFetch) return sharedSsoFetch;
  const guarded = guardedFetch();
  sharedSsoFetch = ((url: string | URL | Request, init?: RequestInit) =>
    guarded(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(SSO_CALL_TIMEOUT_MS) })) as typeof fetch;
  return sharedSsoFetch;
}

/**
 * Reads the issuer's discovery document (/.well-known/openid-configuration) through `doFetch` and checks it
 * the way sign-in will (oauth4webapi: the `issuer` it states must be this URL). Returns why it failed, in
 * words that hold no secret, or null when the issuer is usable.
 */
export async function discoveryProblem(issuerUrl: string, doFetch: typeof fetch = ssoFetch()): Promise<string | null> {
  let issuer: URL;
  try {
    issuer = new URL(issuerUrl);
  } catch {
    return "The issuer is not a URL.";
  }
  try {
    const options = {
      [oauth.customFetch]: doFetch,
      [oauth.allowInsecureRequests]: issuer.protocol === "http:",
      signal: AbortSignal.timeout(SSO_CALL_TIMEOUT_MS),
    };
    const metadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    if (!metadata.authorization_endpoint || !metadata.token_endpoint || !metadata.jwks_uri) {
      return "The provider's discovery document lacks an authorization, token or JWKS endpoint.";
    }
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unknown error";
    return `Discovery at ${issuer.origin}${issuer.pathname.replace(/\/$/, "")}/.well-known/openid-configuration failed: ${reason.slice(0, 300)}`;
  }
}
