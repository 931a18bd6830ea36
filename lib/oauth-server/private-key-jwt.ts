import "server-only";
import { lt, sql } from "drizzle-orm";
import { createLocalJWKSet, createRemoteJWKSet, customFetch, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from "jose";
import type { Executor } from "@/db";
import { oauthClientAssertionJtis, type OAuthClientRow } from "@/db/schema";
import { adminAllowList, guardedFetch, isAdminListed } from "@/lib/connections/oauth-transport";
import { readBodyBytes } from "@/lib/inbound/read-body";
import { BoundedMap } from "@/lib/memory/bounded-map";

/**
 * private_key_jwt client authentication (RFC 7523 §2.2 and §3, RFC 7521 §4.2): the client signs a JWT with
 * its private key and the server checks it against the public keys the application registered, inline or
 * at its jwks_uri (read through the guarded dispatcher, capped, and cached for a bounded time).
 */

/** Asymmetric algorithms only: never `none`, never HS* (the client has no shared key with us). */
export const CLIENT_ASSERTION_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;
/** RFC 7523 §3 item 4: an exp unreasonably far ahead may be refused; this also bounds how long a jti is kept. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 60;
const MAX_JTI_LENGTH = 200;
/** How long keys read from a jwks_uri are used before they are read again (an unknown kid reads them sooner). */
export const JWKS_URI_CACHE_SECONDS = 300;
const JWKS_URI_COOLDOWN_MS = 30_000;
const JWKS_URI_TIMEOUT_MS = 5_000;
const JWKS_URI_MAX_BYTES = 64 * 1024;
const MAX_CACHED_KEY_SETS = 200;

export type AssertionRefusal = { reason: string; description: string };

/** The client an assertion names (RFC 7521 §4.2: client_id may be omitted; then the assertion's sub says). */
export function assertionClientId(assertion: string): string | null {
  try {
    const { sub, iss } = decodeJwt(assertion);
    return typeof sub === "string" ? sub : typeof iss === "string" ? iss : null;
  } catch {
    return null;
  }
}

// One remote key set per application and URL, each caching its keys; the oldest goes beyond the bound.
const remoteKeySets = new BoundedMap<string, JWTVerifyGetKey>(MAX_CACHED_KEY_SETS);

/** undici's fetch through the guard, reading at most JWKS_URI_MAX_BYTES of the answer. */
function cappedGuardedFetch(): typeof fetch {
  const guarded = guardedFetch();
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const response = await guarded(url, init);
    const body = await readBodyBytes(response, JWKS_URI_MAX_BYTES);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }) as typeof fetch;
}

function remoteKeySet(clientRowId: string, uri: string): JWTVerifyGetKey {
  const cacheKey = `${clientRowId} ${uri}`;
  const cached = remoteKeySets.get(cacheKey);
  if (cached) return cached;
  const doFetch = cappedGuardedFetch();
  const keySet = createRemoteJWKSet(new URL(uri), {
    timeoutDuration: JWKS_URI_TIMEOUT_MS,
    cooldownDuration: JWKS_URI_COOLDOWN_MS,
    cacheMaxAge: JWKS_URI_CACHE_SECONDS * 1000,
    [customFetch]: (url, init) => doFetch(url, init),
  });
  remoteKeySets.set(cacheKey, keySet);
  return keySet;
}

const UNUSABLE_KEYS: AssertionRefusal = {
  reason: "keys_unusable",
  description: "This client's registered keys could not be used: its JWKS URL could not be read, or its keys are not a valid JWK Set.",
};

function keySetOf(client: Pick<OAuthClientRow, "id" | "jwks" | "jwksUri">): JWTVerifyGetKey | AssertionRefusal {
  if (client.jwks) {
    try {
      return createLocalJWKSet(client.jwks);
    } catch {
      return UNUSABLE_KEYS;
    }
  }
  if (!client.jwksUri) return { reason: "no_keys", description: "This client has no registered keys. Ask an admin to add its JWK Set." };
  const url = new URL(client.jwksUri);
  if (url.protocol === "http:" && !isAdminListed(url.hostname, adminAllowList())) {
    return {
      reason: "jwks_uri_insecure",
      description: "This client's JWKS URL uses http:// to a host an admin has not allowed. Register an https URL.",
    };
  }
  return remoteKeySet(client.id, client.jwksUri);
}

/** jwtVerify, trying each candidate key when the assertion has no kid and several registered keys fit its alg. */
async function verifyWithKeys(assertion: string, keys: JWTVerifyGetKey, options: JWTVerifyOptions) {
  try {
    return await jwtVerify(assertion, keys, options);
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    let last: unknown = error;
    for await (const key of error) {
      try {
        return await jwtVerify(assertion, key, options);
      } catch (attempt) {
        last = attempt;
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw last;
  }
}

function refusalOf(error: unknown, audiences: string[]): AssertionRefusal {
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return { reason: "assertion_alg", description: `Sign the client assertion with one of ${CLIENT_ASSERTION_ALGS.join(", ")}.` };
  if (error instanceof errors.JWTExpired) return { reason: "assertion_expired", description: "The client assertion has expired." };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud")
      return { reason: "assertion_audience", description: `The client assertion's aud must be one of: ${audiences.join(", ")}.` };
    if (error.claim === "iss" || error.claim === "sub")
      return { reason: "assertion_subject", description: "The client assertion's iss and sub must both be the client_id." };
    if (error.reason === "missing") return { reason: "assertion_claims", description: `The client assertion must carry the ${error.claim} claim.` };
    return { reason: "assertion_claims", description: `The client assertion's ${error.claim} claim is not valid now.` };
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return { reason: "assertion_key", description: "No registered key of this client matches the client assertion's kid and alg." };
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return { reason: "assertion_signature", description: "The client assertion's signature does not verify with this client's registered keys." };
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid)
    return { reason: "assertion_invalid", description: "The client assertion is not a valid signed JWT." };
  // What is left comes from the keys: a jwks_uri refused by the guard, timed out, not 200, not a JWK Set; a key jose cannot import.
  return UNUSABLE_KEYS;
}

/**
 * Records the assertion's jti until it expires; false when it was recorded already (a replay). One insert
 * that conflicts on (client, jti), so two processes receiving the same assertion cannot both accept it.
 */
async function consumeJti(db: Executor, clientRowId: string, jti: string, expiresAt: Date): Promise<boolean> {
  await db.delete(oauthClientAssertionJtis).where(lt(oauthClientAssertionJtis.expiresAt, sql`now()`));
  const inserted = await db
    .insert(oauthClientAssertionJtis)
    .values({ clientId: clientRowId, jti, expiresAt })
    .onConflictDoNothing()
    .returning({ jti: oauthClientAssertionJtis.jti });
  return inserted.length === 1;
}

/**
 * Checks a client assertion for `client`: signature by a registered key and an allowed algorithm, iss =
 * sub = client_id, aud one of `audiences`, exp present and at most MAX_ASSERTION_LIFETIME_SECONDS ahead,
 * jti present and never seen before. Null when it is accepted, else why not.
 */
export async function verifyClientAssertion(
  db: Executor,
  client: Pick<OAuthClientRow, "id" | "clientId" | "jwks" | "jwksUri">,
  assertion: string,
  audiences: string[],
): Promise<AssertionRefusal | null> {
  const keys = keySetOf(client);
  if (typeof keys !== "function") return keys;
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await verifyWithKeys(assertion, keys, {
      algorithms: [...CLIENT_ASSERTION_ALGS],
      issuer: client.clientId,
      subject: client.clientId,
      audience: audiences,
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    return refusalOf(error, audiences);
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  if (exp > now + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    return {
      reason: "assertion_lifetime",
      description: `The client assertion's exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS} seconds ahead. Sign assertions that expire sooner.`,
    };
  }
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length > MAX_JTI_LENGTH)
    return { reason: "assertion_claims", description: `The client assertion's jti must be a string of at most ${MAX_JTI_LENGTH} characters.` };
  if (!(await consumeJti(db, client.id, jti, new Date((exp + CLOCK_SKEW_SECONDS) * 1000)))) {
    return { reason: "assertion_replayed", description: "This client assertion (its jti) was used before. Sign a new assertion for each request." };
  }
  return null;
}
