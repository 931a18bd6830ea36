import "server-only";
import { and, count, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { oauthClients, oauthTokens, type OAuthClientRow } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { ForbiddenError, NotFoundError, ServiceError } from "@/lib/errors/service-error";
import type { PersonalAccessTokenInput } from "./schemas";
import { SYSTEM_CLIENT_KINDS, type SystemClientKind } from "./labels";
import { SCOPE_NAMES } from "./scopes";
import { randomClientId } from "./secrets";
import { issueTokens } from "./tokens";

/**
 * Clients Plugboard registers itself ("system-configured" on the Applications page). Neither has a secret,
 * so neither can authenticate at /oauth2/token; their tokens are issued here, to a signed-in user, and act
 * as that user with their current role in the team (lib/api/bearer.ts reads it on every call).
 */

/** A user may hold this many personal access tokens per team (expired ones included until deleted). */
export const MAX_PERSONAL_ACCESS_TOKENS = 20;
/** A "Try it" token lives this long; the docs page asks for another when it runs out. */
export const TRY_IT_TOKEN_SECONDS = 600;
const TRY_IT_TOKENS_PER_HOUR = 60;

/**
 * Refuses a change by hand to a system client, with what the caller can do instead. `deleting`: the owner
 * of a personal access token may delete (revoke) it; nobody else may.
 */
export function assertEditableByHand(
  ctx: TeamContext,
  client: Pick<OAuthClientRow, "configuredBy" | "systemKind" | "ownerUserId" | "name">,
  deleting = false,
): void {
  if (client.configuredBy !== "system") return;
  const kind = SYSTEM_CLIENT_KINDS[client.systemKind as SystemClientKind];
  if (deleting && kind?.ownerMayDelete && client.ownerUserId === ctx.actor.id) return;
  const why = kind?.ownerMayDelete ? "only its owner can revoke it (Profile > Personal access tokens)" : "Plugboard manages it";
  throw new ServiceError(
    `${client.name} is system-configured (${kind?.label ?? "made by Plugboard"}): it cannot be changed here; ${why}.`,
    "conflict",
  );
}

/** A client of the team, customer- or system-configured; 404 when the team has none with that id. */
export async function findTeamClient(tx: Executor, ctx: TeamContext, applicationId: string): Promise<OAuthClientRow> {
  const [row] = await tx
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.id, applicationId), eq(oauthClients.teamId, ctx.team.id)));
  if (!row) throw new NotFoundError("That application");
  return row;
}

/** Tokens are issued to the signed-in person only: a token (or an application) cannot mint a longer-lived one. */
function requireSignedInUser(ctx: TeamContext): void {
  if (ctx.principal.kind !== "user") throw new ForbiddenError("Personal and Try it tokens are issued to a signed-in user, not to an API token.");
}

/** One opaque access token of a system client for the signed-in user (no grant, no refresh token). */
function issueUserToken(tx: Executor, ctx: TeamContext, clientRowId: string, scopes: string[], seconds: number) {
  const owner = {
    clientRowId,
    teamId: ctx.team.id,
    userId: ctx.actor.id,
    grantId: null,
    scopes,
    lifetimes: { accessSeconds: seconds, refreshSeconds: 0 },
  };
  return issueTokens(tx, owner, false);
}

export type CreatedPersonalAccessToken = { id: string; name: string; token: string; expiresAt: string };

/**
 * An admin's personal access token: a client-credentials application of the team with the admin as its
 * single owner, and one opaque access token with the chosen scopes and expiry, returned once (only its
 * hash is kept). The token acts as the owner with their role at the time of each call, so it loses admin
 * power when they are demoted and stops when they leave the team.
 */
export async function createPersonalAccessToken(
  db: Database,
  ctx: TeamContext,
  input: PersonalAccessTokenInput,
): Promise<CreatedPersonalAccessToken> {
  requireRole(ctx, "admin");
  requireSignedInUser(ctx);
  return db.transaction(async (tx) => {
    const mine = and(
      eq(oauthClients.teamId, ctx.team.id),
      eq(oauthClients.ownerUserId, ctx.actor.id),
      eq(oauthClients.systemKind, "personal_access_token"),
    );
    const [{ held }] = await tx.select({ held: count() }).from(oauthClients).where(mine);
    if (held >= MAX_PERSONAL_ACCESS_TOKENS)
      throw new ServiceError(`You hold ${MAX_PERSONAL_ACCESS_TOKENS} personal access tokens in this team: revoke one first.`, "conflict");
    const [client] = await tx
      .insert(oauthClients)
      .values({
        teamId: ctx.team.id,
        clientId: randomClientId(),
        name: input.name,
        configuredBy: "system",
        systemKind: "personal_access_token",
        ownerUserId: ctx.actor.id,
        grantType: "client_credentials",
        authMethod: "client_secret_basic",
        scopes: input.scopes,
        role: ctx.role,
        createdBy: ctx.actor.id,
      })
      .returning();
    const seconds = input.expiresInDays * 86_400;
    const issued = await issueUserToken(tx, ctx, client.id, input.scopes, seconds);
    const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
    await recordTeamAudit(tx, ctx, {
      action: "oauth.personal_token_created",
      target: { type: "oauth_client", id: client.id },
      metadata: { name: client.name, clientId: client.clientId, scopes: input.scopes, expiresAt },
    });
    return { id: client.id, name: client.name, token: issued.accessToken, expiresAt };
  });
}

/** The caller's personal access tokens in the team (never a token value), newest first. */
export async function listPersonalAccessTokens(db: Executor, ctx: TeamContext) {
  const rows = await db
    .select({
      id: oauthClients.id,
      name: oauthClients.name,
      scopes: oauthClients.scopes,
      createdAt: oauthClients.createdAt,
      lastUsedAt: oauthClients.lastUsedAt,
      expiresAt: oauthTokens.expiresAt,
      revokedAt: oauthTokens.revokedAt,
    })
    .from(oauthClients)
    .leftJoin(oauthTokens, and(eq(oauthTokens.clientId, oauthClients.id), eq(oauthTokens.kind, "access")))
    .where(
      and(eq(oauthClients.teamId, ctx.team.id), eq(oauthClients.ownerUserId, ctx.actor.id), eq(oauthClients.systemKind, "personal_access_token")),
    )
    .limit(MAX_PERSONAL_ACCESS_TOKENS * 2);
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/**
 * A short-lived token for the API documentation's "Try it": issued to the signed-in user from the team's
 * API-docs client (made on first use), with the one scope the operation needs.
 */
export async function issueTryItToken(db: Database, ctx: TeamContext, scope: string): Promise<{ token: string; expiresIn: number }> {
  requireSignedInUser(ctx);
  if (!(SCOPE_NAMES as readonly string[]).includes(scope))
    throw new ServiceError(`scope: ${scope.slice(0, 60)} is not a Plugboard scope.`, "invalid", { scope: "Unknown scope." });
  // Bounded: a page keeps each scope's token until it nearly expires, so this many an hour is plenty.
  if ((await hitRateLimit(db, `oauth:try-it:${ctx.actor.id}`, { limit: TRY_IT_TOKENS_PER_HOUR, windowSeconds: 3600 })) > TRY_IT_TOKENS_PER_HOUR)
    throw new ServiceError(`At most ${TRY_IT_TOKENS_PER_HOUR} Try it tokens an hour. Try again later.`, "rate_limited");
  return db.transaction(async (tx) => {
    // The partial unique index oauth_clients_api_docs_idx makes a second concurrent insert a no-op.
    await tx
      .insert(oauthClients)
      .values({
        teamId: ctx.team.id,
        clientId: randomClientId(),
        name: "API documentation",
        configuredBy: "system",
        systemKind: "api_docs",
        grantType: "authorization_code",
        authMethod: "client_secret_basic",
        scopes: [...SCOPE_NAMES],
        accessTokenTtlSeconds: TRY_IT_TOKEN_SECONDS,
      })
      .onConflictDoNothing();
    const [client] = await tx
      .select()
      .from(oauthClients)
      .where(and(eq(oauthClients.teamId, ctx.team.id), eq(oauthClients.systemKind, "api_docs")));
    const issued = await issueUserToken(tx, ctx, client.id, [scope], TRY_IT_TOKEN_SECONDS);
    await recordTeamAudit(tx, ctx, {
      action: "oauth.token_issued",
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId, grantType: "api_docs_try_it", scopes: [scope], refreshToken: false },
    });
    return { token: issued.accessToken, expiresIn: issued.expiresIn };
  });
}
