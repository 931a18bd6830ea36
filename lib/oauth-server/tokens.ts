import "server-only";
import { and, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { oauthGrants, oauthTokens } from "@/db/schema";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { accessTokenAudience, issuer, type TokenLifetimes } from "./config";
import { hashSecret, randomSecret } from "./secrets";
import { currentSigningKey, SIGNING_ALG } from "./signing-keys";

/** `jwt` when the client asked for RFC 9068 access tokens: the claims that name the client and the subject. */
export type TokenOwner = {
  clientRowId: string;
  teamId: string;
  userId: string | null;
  grantId: string | null;
  scopes: string[];
  /** RFC 8707: the resource the tokens are bound to (their audience); null or absent for the REST API. */
  resource?: string | null;
  /** The application's lifetimes (config.ts tokenLifetimes). */
  lifetimes: TokenLifetimes;
  jwt?: { clientId: string; subject: string };
};

/** RFC 9068 §2.2: sub is the user, or the client itself when it acts on its own behalf (client credentials). */
export function jwtClaimsFor(client: { accessTokenFormat: string; clientId: string }, userId: string | null): TokenOwner["jwt"] {
  return client.accessTokenFormat === "jwt" ? { clientId: client.clientId, subject: userId ?? client.clientId } : undefined;
}

/** A JWT access token (RFC 9068 §2) and what its row keeps of it. */
async function signAccessToken(tx: Executor, owner: TokenOwner & { jwt: NonNullable<TokenOwner["jwt"]> }, expiresIn: number) {
  const { kid, key } = await currentSigningKey(tx);
  const jti = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ client_id: owner.jwt.clientId, scope: owner.scopes.join(" ") })
    .setProtectedHeader({ alg: SIGNING_ALG, typ: "at+jwt", kid })
    .setIssuer(issuer())
    .setAudience(owner.resource ?? accessTokenAudience())
    .setSubject(owner.jwt.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .setJti(jti)
    .sign(key);
  return { token, jti, kid, expiresAt: new Date((now + expiresIn) * 1000) };
}

/** An opaque access token, or a JWT access token's compact form (three base64url parts; RFC 7519 caps none, this does). */
export const ACCESS_TOKEN_FORMAT = /^(?:pbat_[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{1,4000}\.[A-Za-z0-9_-]{1,1000})$/;

export type IssuedTokens = { accessToken: string; refreshToken?: string; expiresIn: number; scopes: string[] };

/**
 * Issues an access token with the owner's scopes, and a refresh token when the owner has a grant
 * (authorization code only). RFC 6749 §6: a refresh may narrow the new access token, but the new refresh
 * token keeps the scope of the one presented, so `refreshScopes` (default: the same scopes) is separate.
 */
export async function issueTokens(tx: Executor, owner: TokenOwner, withRefresh: boolean, refreshScopes = owner.scopes): Promise<IssuedTokens> {
  const expiresIn = owner.lifetimes.accessSeconds;
  const base = {
    clientId: owner.clientRowId,
    teamId: owner.teamId,
    userId: owner.userId,
    grantId: owner.grantId,
    scopes: owner.scopes,
    resource: owner.resource ?? null,
  };
  let accessToken: string;
  let accessRow: typeof oauthTokens.$inferInsert;
  if (owner.jwt) {
    const signed = await signAccessToken(tx, { ...owner, jwt: owner.jwt }, expiresIn);
    accessToken = signed.token;
    // Found by the hash of the whole JWT like an opaque token, so revocation and introspection work the same.
    accessRow = { ...base, kind: "access", tokenHash: hashSecret(accessToken), expiresAt: signed.expiresAt, jti: signed.jti, signingKid: signed.kid };
  } else {
    accessToken = randomSecret("pbat");
    accessRow = { ...base, kind: "access", tokenHash: hashSecret(accessToken), expiresAt: new Date(Date.now() + expiresIn * 1000) };
  }
  const rows = [accessRow];
  let refreshToken: string | undefined;
  if (withRefresh) {
    refreshToken = randomSecret("pbrt");
    rows.push({
      ...base,
      scopes: refreshScopes,
      kind: "refresh",
      tokenHash: hashSecret(refreshToken),
      expiresAt: new Date(Date.now() + owner.lifetimes.refreshSeconds * 1000),
    });
  }
  await tx.insert(oauthTokens).values(rows);
  return { accessToken, refreshToken, expiresIn, scopes: owner.scopes };
}

/** Revokes every live token matching `where`; returns how many were live. */
export async function revokeTokensWhere(tx: Executor, where: SQL): Promise<number> {
  const rows = await tx
    .update(oauthTokens)
    .set({ revokedAt: new Date() })
    .where(and(where, isNull(oauthTokens.revokedAt), gt(oauthTokens.expiresAt, new Date())))
    .returning({ id: oauthTokens.id });
  return rows.length;
}

/** Revokes a grant and everything issued from it (code replay, refresh reuse, consent revoked). */
export async function revokeGrant(tx: Executor, grantId: string): Promise<number> {
  await tx
    .update(oauthGrants)
    .set({ revokedAt: sql`coalesce(${oauthGrants.revokedAt}, now())` })
    .where(eq(oauthGrants.id, grantId));
  return revokeTokensWhere(tx, eq(oauthTokens.grantId, grantId));
}

/** A token row by its raw value, whatever its state; callers check kind, expiry and revocation. */
export async function findToken(db: Executor, token: string) {
  if (!/^pbrt_[A-Za-z0-9_-]{43}$/.test(token) && !ACCESS_TOKEN_FORMAT.test(token)) return null;
  const [row] = await db
    .select()
    .from(oauthTokens)
    .where(eq(oauthTokens.tokenHash, hashSecret(token)));
  return row ?? null;
}

export function isTokenLive(row: { revokedAt: Date | null; expiresAt: Date; rotatedAt?: Date | null }, now = new Date()): boolean {
  return !row.revokedAt && row.expiresAt > now && !row.rotatedAt;
}
