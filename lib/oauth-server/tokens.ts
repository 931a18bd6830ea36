import "server-only";
import { and, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { oauthGrants, oauthTokens } from "@/db/schema";
import type { TokenLifetimes } from "./config";
import { hashSecret, randomSecret } from "./secrets";

export type TokenOwner = {
  clientRowId: string;
  teamId: string;
  userId: string | null;
  grantId: string | null;
  scopes: string[];
  /** The application's lifetimes (config.ts tokenLifetimes). */
  lifetimes: TokenLifetimes;
};

export type IssuedTokens = { accessToken: string; refreshToken?: string; expiresIn: number; scopes: string[] };

/**
 * Issues an access token with the owner's scopes, and a refresh token when the owner has a grant
 * (authorization code only). RFC 6749 §6: a refresh may narrow the new access token, but the new refresh
 * token keeps the scope of the one presented, so `refreshScopes` (default: the same scopes) is separate.
 */
export async function issueTokens(tx: Executor, owner: TokenOwner, withRefresh: boolean, refreshScopes = owner.scopes): Promise<IssuedTokens> {
  const expiresIn = owner.lifetimes.accessSeconds;
  const accessToken = randomSecret("pbat");
  const base = { clientId: owner.clientRowId, teamId: owner.teamId, userId: owner.userId, grantId: owner.grantId, scopes: owner.scopes };
  const rows = [{ ...base, kind: "access", tokenHash: hashSecret(accessToken), expiresAt: new Date(Date.now() + expiresIn * 1000) }];
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
  if (!/^pb(at|rt)_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db
    .select()
    .from(oauthTokens)
    .where(eq(oauthTokens.tokenHash, hashSecret(token)));
  return row ?? null;
}

export function isTokenLive(row: { revokedAt: Date | null; expiresAt: Date; rotatedAt?: Date | null }, now = new Date()): boolean {
  return !row.revokedAt && row.expiresAt > now && !row.rotatedAt;
}
