import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { oauthCodes, oauthGrants, oauthTokens, type OAuthClientRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { echoList, OAuthError } from "./errors";
import { tokenLifetimes } from "./config";
import { currentRole } from "./membership";
import { resolveResource, scopeResourceMismatch, scopesForResource } from "./resources";
import { parseScopeParam } from "./scopes";
import { markClientsUsed } from "./last-used";
import { hashSecret } from "./secrets";
import { issueTokens, jwtClaimsFor, revokeGrant, type IssuedTokens } from "./tokens";
import { applicationActor } from "@/lib/auth/actor";

export type GrantRequest = { client: OAuthClientRow; params: Map<string, string>; ip: string };

function requireParam(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (!value) throw new OAuthError("invalid_request", `Parameter ${name} is required.`);
  return value;
}

/** The requested scopes, which must all be registered for the client (or within `allowed`). */
function narrowScopes(requested: string | undefined, allowed: string[]): string[] {
  const scopes = parseScopeParam(requested);
  if (scopes === null) throw new OAuthError("invalid_scope", "The scope parameter is malformed.");
  if (scopes.length === 0) return allowed;
  const extra = scopes.filter((s) => !allowed.includes(s));
  if (extra.length > 0) throw new OAuthError("invalid_scope", `Not allowed for this client: ${echoList(extra)}.`);
  return scopes;
}

async function auditIssued(tx: Executor, client: OAuthClientRow, userId: string | null, grantType: string, issued: IssuedTokens, ip: string) {
  await tx.execute(markClientsUsed(sql`${client.id}::uuid`));
  await recordAudit(tx, {
    teamId: client.teamId,
    actor: applicationActor(client, userId),
    action: "oauth.token_issued",
    target: { type: "oauth_client", id: client.id },
    metadata: { clientId: client.clientId, grantType, scopes: issued.scopes, refreshToken: Boolean(issued.refreshToken) },
    ip,
  });
}

/** RFC 6749 §4.4: the client acts as its service member; there is no refresh token. */
export async function clientCredentialsGrant(db: Database, { client, params, ip }: GrantRequest): Promise<IssuedTokens> {
  if (client.grantType !== "client_credentials") throw new OAuthError("unauthorized_client", "This client may not use client_credentials.");
  if (!client.serviceUserId) throw new OAuthError("unauthorized_client", "This client has no service member.");
  const target = resolveResource(params.get("resource"));
  if (!target.ok) throw new OAuthError("invalid_target", target.description);
  const mismatch = scopeResourceMismatch(parseScopeParam(params.get("scope")) ?? [], target.resource);
  if (mismatch) throw new OAuthError("invalid_scope", mismatch);
  const scopes = narrowScopes(params.get("scope"), scopesForResource(client.scopes, target.resource));
  if (scopes.length === 0) throw new OAuthError("invalid_scope", "This client has no scope for this resource.");
  return db.transaction(async (tx) => {
    const owner = {
      clientRowId: client.id,
      teamId: client.teamId,
      userId: null,
      grantId: null,
      scopes,
      resource: target.resource,
      lifetimes: tokenLifetimes(client),
      jwt: jwtClaimsFor(client, null),
    };
    const issued = await issueTokens(tx, owner, false);
    await auditIssued(tx, client, null, "client_credentials", issued, ip);
    return issued;
  });
}

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function pkceMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

type Outcome = { ok: true; issued: IssuedTokens } | { ok: false; error: OAuthError; replayedGrantId?: string };

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636, S256 only). The code is consumed by an UPDATE … WHERE
 * consumed_at IS NULL that commits even when the exchange is then refused, so it works at most once;
 * a code presented again revokes every token issued from it (§4.1.2).
 */
export async function authorizationCodeGrant(db: Database, { client, params, ip }: GrantRequest): Promise<IssuedTokens> {
  if (client.grantType !== "authorization_code") throw new OAuthError("unauthorized_client", "This client may not use authorization_code.");
  const code = requireParam(params, "code");
  const verifier = requireParam(params, "code_verifier");
  const redirectUri = params.get("redirect_uri");
  const invalid = (why: string) => new OAuthError("invalid_grant", why);

  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const codeHash = hashSecret(code);
    const [row] = await tx
      .update(oauthCodes)
      .set({ consumedAt: new Date() })
      .where(and(eq(oauthCodes.codeHash, codeHash), eq(oauthCodes.clientId, client.id), isNull(oauthCodes.consumedAt)))
      .returning();
    if (!row) {
      const [used] = await tx
        .select()
        .from(oauthCodes)
        .where(and(eq(oauthCodes.codeHash, codeHash), eq(oauthCodes.clientId, client.id)));
      if (used?.consumedAt) return { ok: false, error: invalid("The authorization code was already used."), replayedGrantId: used.grantId };
      return { ok: false, error: invalid("The authorization code is invalid.") };
    }
    if (row.expiresAt <= new Date()) return { ok: false, error: invalid("The authorization code has expired.") };
    if ((row.redirectUriSent || redirectUri !== undefined) && redirectUri !== row.redirectUri) {
      return { ok: false, error: invalid("redirect_uri does not match the authorization request.") };
    }
    if (!pkceMatches(verifier, row.codeChallenge)) return { ok: false, error: invalid("The PKCE code_verifier does not match.") };
    const [grant] = await tx
      .select()
      .from(oauthGrants)
      .where(and(eq(oauthGrants.id, row.grantId), isNull(oauthGrants.revokedAt)));
    if (!grant?.userId) return { ok: false, error: invalid("The authorization was revoked.") };
    const targetError = resourceParamMismatch(params, grant.resource);
    if (targetError) return { ok: false, error: targetError };
    if (!(await currentRole(tx, grant.teamId, grant.userId))) return { ok: false, error: invalid("The user is no longer a member of the team.") };
    const owner = {
      clientRowId: client.id,
      teamId: grant.teamId,
      userId: grant.userId,
      grantId: grant.id,
      scopes: grant.scopes,
      resource: grant.resource,
      lifetimes: tokenLifetimes(client),
      jwt: jwtClaimsFor(client, grant.userId),
    };
    const issued = await issueTokens(tx, owner, true);
    await auditIssued(tx, client, grant.userId, "authorization_code", issued, ip);
    return { ok: true, issued };
  });
  if (outcome.ok) return outcome.issued;
  if (outcome.replayedGrantId) await answerReplay(db, client, outcome.replayedGrantId, "authorization_code_replayed", ip);
  throw outcome.error;
}

/** RFC 6749 §6 with rotation: each refresh token works once; presenting a used one revokes the grant. */
export async function refreshTokenGrant(db: Database, { client, params, ip }: GrantRequest): Promise<IssuedTokens> {
  if (client.grantType !== "authorization_code") throw new OAuthError("unauthorized_client", "This client may not use refresh_token.");
  const presented = requireParam(params, "refresh_token");
  const tokenHash = hashSecret(presented);
  const [row] = await db
    .select()
    .from(oauthTokens)
    .where(and(eq(oauthTokens.tokenHash, tokenHash), eq(oauthTokens.kind, "refresh"), eq(oauthTokens.clientId, client.id)));
  if (!row?.grantId || !row.userId) throw new OAuthError("invalid_grant", "The refresh token is invalid.");
  if (row.rotatedAt) {
    await answerReplay(db, client, row.grantId, "refresh_token_reused", ip);
    throw new OAuthError("invalid_grant", "The refresh token was already used; the authorization has been revoked.");
  }
  if (row.revokedAt || row.expiresAt <= new Date()) throw new OAuthError("invalid_grant", "The refresh token has expired or was revoked.");
  const targetError = resourceParamMismatch(params, row.resource);
  if (targetError) throw targetError;
  const scopes = narrowScopes(params.get("scope"), row.scopes);
  if (!(await currentRole(db, row.teamId, row.userId))) throw new OAuthError("invalid_grant", "The user is no longer a member of the team.");

  const issued = await db.transaction(async (tx) => {
    const [rotated] = await tx
      .update(oauthTokens)
      .set({ rotatedAt: new Date() })
      .where(and(eq(oauthTokens.id, row.id), isNull(oauthTokens.rotatedAt), isNull(oauthTokens.revokedAt), gt(oauthTokens.expiresAt, new Date())))
      .returning({ id: oauthTokens.id });
    if (!rotated) return null;
    const owner = {
      clientRowId: client.id,
      teamId: row.teamId,
      userId: row.userId,
      grantId: row.grantId,
      scopes,
      resource: row.resource,
      lifetimes: tokenLifetimes(client),
      jwt: jwtClaimsFor(client, row.userId),
    };
    // The narrowed scope is the new access token's only; the new refresh token keeps the presented one's.
    const result = await issueTokens(tx, owner, true, row.scopes);
    await auditIssued(tx, client, row.userId, "refresh_token", result, ip);
    return result;
  });
  if (issued) return issued;
  // Lost a race with a concurrent use of the same token: that is reuse too.
  await answerReplay(db, client, row.grantId, "refresh_token_reused", ip);
  throw new OAuthError("invalid_grant", "The refresh token was already used; the authorization has been revoked.");
}

/**
 * RFC 8707 §2.2: a resource sent to the token endpoint must be the one the grant was bound to (one
 * resource per grant here); absent, the grant's own applies.
 */
function resourceParamMismatch(params: Map<string, string>, bound: string | null): OAuthError | null {
  if (!params.has("resource")) return null;
  const target = resolveResource(params.get("resource"));
  if (!target.ok) return new OAuthError("invalid_target", target.description);
  if (target.resource !== bound) return new OAuthError("invalid_target", "The resource differs from the one the authorization was granted for.");
  return null;
}

async function answerReplay(db: Database, client: OAuthClientRow, grantId: string, reason: string, ip: string) {
  await db.transaction(async (tx) => {
    const count = await revokeGrant(tx, grantId);
    await recordAudit(tx, {
      teamId: client.teamId,
      actor: { kind: "application", clientId: client.id, name: client.name, userId: null },
      action: "oauth.token_revoked",
      target: { type: "oauth_grant", id: grantId },
      metadata: { reason, count, clientId: client.clientId },
      ip,
    });
  });
}
