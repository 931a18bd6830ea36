import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { SsoProvider } from "./config";

/**
 * Auth.js (through oauth4webapi) checks the ID token's iss, aud, exp and nonce but not its signature: an
 * ID token straight from the token endpoint over TLS may skip it (OIDC Core 3.1.3.7), yet we check it
 * anyway against the provider's JWKS, so a token endpoint reached through a bad proxy or a mistyped
 * issuer cannot mint sessions.
 */

type KeySet = { jwks: JWTVerifyGetKey; fetch: typeof fetch };
// One per configured provider (at most 20); jose caches the keys and refetches on an unknown kid.
const keySets = new Map<string, KeySet>();

async function keySetFor(provider: Pick<SsoProvider, "issuer">, doFetch: typeof fetch): Promise<JWTVerifyGetKey> {
  const cached = keySets.get(provider.issuer);
  if (cached && cached.fetch === doFetch) return cached.jwks;
  const issuer = new URL(provider.issuer);
  const options = { [oauth.customFetch]: doFetch, [oauth.allowInsecureRequests]: issuer.protocol === "http:", signal: AbortSignal.timeout(15_000) };
  const metadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  if (!metadata.jwks_uri) throw new Error("the provider's metadata has no jwks_uri");
  const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), {
    timeoutDuration: 15_000,
    [customFetch]: (url, init) => doFetch(url, init),
  });
  keySets.set(provider.issuer, { jwks, fetch: doFetch });
  return jwks;
}

/** Verifies the signature (and again iss, aud, exp) of an ID token; false when anything is wrong. */
export async function idTokenSignatureValid(
  provider: Pick<SsoProvider, "issuer" | "clientId">,
  idToken: string | undefined,
  doFetch: typeof fetch,
): Promise<boolean> {
  if (!idToken) return false;
  try {
    await jwtVerify(idToken, await keySetFor(provider, doFetch), { issuer: provider.issuer, audience: provider.clientId });
    return true;
  } catch {
    return false;
  }
}
