import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Executor } from "@/db";
import { oauthClientSecrets, oauthClients, oauthTokens, users } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { splitRedirectUris, type CreateApplicationInput } from "./schemas";
import { randomClientId } from "./secrets";
import { insertClientSecret, revokeAllClientSecrets } from "./client-secrets";
import { revokeTokensWhere } from "./tokens";
import { isClientAuthMethod } from "./client-auth-methods";
import { clientKeyColumns } from "./client-keys-schema";
import { issuer } from "./config";
import type { TokenRequestTarget } from "./token-request-curl";
import { assertEditableByHand, findTeamClient } from "./system-clients";

const owners = alias(users, "owners");

/** Shown once: the new secret, with what the dialog needs to show a working token request. */
export type CreatedApplication = { id: string; clientId: string; clientSecret: string; tokenRequest: TokenRequestTarget };

export function tokenRequestTarget(
  client: { clientId: string; authMethod: string; grantType: string; scopes: string[]; redirectUris: string[] },
  clientSecret: string,
): TokenRequestTarget {
  return {
    tokenEndpoint: `${issuer()}/oauth2/token`,
    clientId: client.clientId,
    clientSecret,
    authMethod: isClientAuthMethod(client.authMethod) ? client.authMethod : "client_secret_basic",
    grantType: client.grantType === "authorization_code" ? "authorization_code" : "client_credentials",
    scopes: client.scopes,
    redirectUris: client.redirectUris,
  };
}

const approvers = alias(users, "approvers");

/** The team's applications (with `applicationId`, that one only), never a secret. */
export async function listApplications(db: Executor, ctx: TeamContext, applicationId?: string) {
  requireRole(ctx, "admin");
  return db
    .select({
      id: oauthClients.id,
      clientId: oauthClients.clientId,
      name: oauthClients.name,
      configuredBy: oauthClients.configuredBy,
      systemKind: oauthClients.systemKind,
      ownerUserId: oauthClients.ownerUserId,
      ownerName: owners.name,
      registration: oauthClients.registration,
      grantType: oauthClients.grantType,
      authMethod: oauthClients.authMethod,
      accessTokenFormat: oauthClients.accessTokenFormat,
      jwks: oauthClients.jwks,
      jwksUri: oauthClients.jwksUri,
      redirectUris: oauthClients.redirectUris,
      scopes: oauthClients.scopes,
      role: oauthClients.role,
      createdAt: oauthClients.createdAt,
      lastUsedAt: oauthClients.lastUsedAt,
      createdByName: users.name,
      /** null: a dynamic registration waiting for an admin's approval. */
      approvedAt: oauthClients.approvedAt,
      approvedByName: approvers.name,
      secretLifetimeDays: oauthClients.secretLifetimeDays,
      accessTokenTtlSeconds: oauthClients.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: oauthClients.refreshTokenTtlSeconds,
      activeSecrets: sql<number>`(select count(*)::int from ${oauthClientSecrets} s
        where s.client_id = ${oauthClients.id} and s.revoked_at is null and (s.expires_at is null or s.expires_at > now()))`,
      // When the client's last active secret expires: null when one never does (or none is active).
      // As ISO text: a raw timestamp arrives as a Date or as Postgres text depending on the driver.
      secretsExpireAt: sql<string | null>`(select case when bool_or(s.expires_at is null) then null
          else to_char(max(s.expires_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end
        from ${oauthClientSecrets} s
        where s.client_id = ${oauthClients.id} and s.revoked_at is null and (s.expires_at is null or s.expires_at > now()))`,
    })
    .from(oauthClients)
    .leftJoin(users, eq(users.id, oauthClients.createdBy))
    .leftJoin(owners, eq(owners.id, oauthClients.ownerUserId))
    .leftJoin(approvers, eq(approvers.id, oauthClients.approvedBy))
    .where(and(eq(oauthClients.teamId, ctx.team.id), applicationId ? eq(oauthClients.id, applicationId) : undefined))
    .orderBy(asc(oauthClients.name), asc(oauthClients.createdAt));
}

/** Registers a client and returns its secret once; only the hash is kept. */
export async function createApplication(db: Database, ctx: TeamContext, input: CreateApplicationInput): Promise<CreatedApplication> {
  requireRole(ctx, "admin");
  const clientId = randomClientId();
  const isService = input.grantType === "client_credentials";
  const redirectUris = input.grantType === "authorization_code" ? splitRedirectUris(input.redirectUris) : [];
  return db.transaction(async (tx) => {
    let serviceUserId: string | null = null;
    if (isService) {
      // The service member: a user row nobody can sign in as ("!" is no argon2 hash), never a membership.
      const [user] = await tx
        .insert(users)
        .values({ name: `app:${input.name}`, email: `app-${randomUUID()}@apps.plugboard.invalid`, passwordHash: "!" })
        .returning({ id: users.id });
      serviceUserId = user.id;
    }
    const [row] = await tx
      .insert(oauthClients)
      .values({
        teamId: ctx.team.id,
        clientId,
        name: input.name,
        grantType: input.grantType,
        authMethod: input.authMethod,
        ...clientKeyColumns(input),
        redirectUris,
        scopes: input.scopes,
        role: input.role,
        accessTokenFormat: input.accessTokenFormat,
        serviceUserId,
        createdBy: ctx.actor.id,
      })
      .returning({ id: oauthClients.id, secretLifetimeDays: oauthClients.secretLifetimeDays });
    const { secret: clientSecret } = await insertClientSecret(tx, row, ctx.actor.id);
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_created",
      target: { type: "oauth_client", id: row.id },
      metadata: {
        name: input.name,
        clientId,
        grantType: input.grantType,
        authMethod: input.authMethod,
        jwksUri: input.authMethod === "private_key_jwt" ? input.jwksUri || null : null,
        scopes: input.scopes,
        role: isService ? input.role : null,
        accessTokenFormat: input.accessTokenFormat,
      },
    });
    return { id: row.id, clientId, clientSecret, tokenRequest: tokenRequestTarget({ ...input, clientId, redirectUris }, clientSecret) };
  });
}

/** A customer-configured client of the team (a system one is refused with 409, naming what to do instead). */
async function teamClient(tx: Executor, ctx: TeamContext, applicationId: string) {
  const row = await findTeamClient(tx, ctx, applicationId);
  assertEditableByHand(ctx, row);
  return row;
}

/**
 * "Replace now": every secret of the client stops working when this commits and the new one is returned
 * once. With `revokeTokens`, every live token issued to the client (access and refresh) is revoked too.
 */
export async function regenerateClientSecret(
  db: Database,
  ctx: TeamContext,
  applicationId: string,
  options: { revokeTokens?: boolean } = {},
): Promise<CreatedApplication & { revokedTokens: number }> {
  requireRole(ctx, "admin");
  return db.transaction(async (tx) => {
    const client = await teamClient(tx, ctx, applicationId);
    const revokedSecrets = await revokeAllClientSecrets(tx, client.id);
    const { secret: clientSecret } = await insertClientSecret(tx, client, ctx.actor.id);
    await tx
      .update(oauthClients)
      .set({ secretRotatedAt: new Date() })
      .where(and(eq(oauthClients.id, client.id), eq(oauthClients.teamId, ctx.team.id)));
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_secret_regenerated",
      target: { type: "oauth_client", id: client.id },
      metadata: { name: client.name, clientId: client.clientId, revokedSecrets },
    });
    let revokedTokens = 0;
    if (options.revokeTokens) {
      revokedTokens = await revokeTokensWhere(tx, eq(oauthTokens.clientId, client.id));
      await recordTeamAudit(tx, ctx, {
        action: "oauth.token_revoked",
        target: { type: "oauth_client", id: client.id },
        metadata: { reason: "client_secret_regenerated", count: revokedTokens, clientId: client.clientId },
      });
    }
    return { id: client.id, clientId: client.clientId, clientSecret, tokenRequest: tokenRequestTarget(client, clientSecret), revokedTokens };
  });
}

/**
 * Deleting revokes every token the client holds (and cascades its grants, codes and consents). An admin
 * deletes a customer-configured client; the owner of a personal access token deletes (revokes) it, whatever
 * their role now.
 */
export async function deleteApplication(db: Database, ctx: TeamContext, applicationId: string): Promise<{ revokedTokens: number }> {
  return db.transaction(async (tx) => {
    const client = await findTeamClient(tx, ctx, applicationId);
    if (client.configuredBy === "system") assertEditableByHand(ctx, client, true);
    else requireRole(ctx, "admin");
    const revokedTokens = await revokeTokensWhere(tx, eq(oauthTokens.clientId, client.id));
    await recordTeamAudit(tx, ctx, {
      action: "oauth.token_revoked",
      target: { type: "oauth_client", id: client.id },
      metadata: { reason: "client_deleted", count: revokedTokens, clientId: client.clientId },
    });
    await tx.delete(oauthClients).where(and(eq(oauthClients.id, client.id), eq(oauthClients.teamId, ctx.team.id)));
    if (client.serviceUserId) await tx.delete(users).where(eq(users.id, client.serviceUserId));
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_deleted",
      target: { type: "oauth_client", id: client.id },
      metadata: { name: client.name, clientId: client.clientId, revokedTokens },
    });
    return { revokedTokens };
  });
}
