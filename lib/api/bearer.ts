import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { memberships, oauthClients, oauthTokens, teams, users } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { hashSecret } from "@/lib/oauth-server/secrets";
import { ACCESS_TOKEN_FORMAT, isTokenLive } from "@/lib/oauth-server/tokens";
import { applicationActor } from "@/lib/auth/actor";
import { preparedPerDatabase } from "@/lib/storage/prepared";

/** Who a bearer token speaks for: the team context services expect, plus what the token may do. */
export type ApiPrincipal = {
  ctx: TeamContext;
  scopes: string[];
  client: { id: string; clientId: string; name: string };
  tokenId: string;
};

export type BearerFailure = { status: 401; error: "invalid_token" | null; description: string };

const LAST_USED_GRANULARITY_MS = 60_000;
/**
 * The shape of an access token (opaque pbat_, or a JWT access token); anything else is not looked up. A JWT
 * is found by the hash of the whole token like an opaque one: its row (with its jti) says whether it was
 * revoked, which a signature check alone cannot.
 */
const TOKEN_FORMAT = ACCESS_TOKEN_FORMAT;

/** The token with its client, team, and (a user's token) the user and membership: one query, built once. */
const bearerLookup = preparedPerDatabase((db) =>
  db
    .select({
      token: {
        id: oauthTokens.id,
        kind: oauthTokens.kind,
        teamId: oauthTokens.teamId,
        userId: oauthTokens.userId,
        scopes: oauthTokens.scopes,
        resource: oauthTokens.resource,
        expiresAt: oauthTokens.expiresAt,
        revokedAt: oauthTokens.revokedAt,
        rotatedAt: oauthTokens.rotatedAt,
      },
      client: {
        id: oauthClients.id,
        clientId: oauthClients.clientId,
        name: oauthClients.name,
        role: oauthClients.role,
        serviceUserId: oauthClients.serviceUserId,
        lastUsedAt: oauthClients.lastUsedAt,
      },
      teamName: teams.name,
      memberRole: memberships.role,
      user: { id: users.id, email: users.email, name: users.name },
    })
    .from(oauthTokens)
    .leftJoin(oauthClients, and(eq(oauthClients.id, oauthTokens.clientId), eq(oauthClients.teamId, oauthTokens.teamId)))
    .leftJoin(teams, eq(teams.id, oauthTokens.teamId))
    .leftJoin(memberships, and(eq(memberships.teamId, oauthTokens.teamId), eq(memberships.userId, oauthTokens.userId)))
    .leftJoin(users, eq(users.id, oauthTokens.userId))
    .where(eq(oauthTokens.tokenHash, sql.placeholder("tokenHash")))
    .prepare("api_bearer_lookup"),
);

/**
 * Resolves `Authorization: Bearer …` (RFC 6750 §2.1; tokens in the query string are not accepted).
 * One query reads the token with its client, team, and (for a user's token) the user and their membership,
 * on every call and never from a cache: a revoked token, a deleted application and a removed member are
 * refused at once on every instance. A client-credentials token uses the client's role as its service
 * member; an authorization-code token uses the user's current role.
 */
export async function authenticateBearer(
  db: Executor,
  headers: Headers,
  ip: string,
  /** RFC 8707: the resource the token must have been issued for; null is the REST API. */
  resource: string | null = null,
): Promise<ApiPrincipal | BearerFailure> {
  const match = headers.get("authorization")?.match(/^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i);
  if (!match) return { status: 401, error: null, description: "Send an access token from /oauth2/token as Authorization: Bearer <token>." };
  const invalid = (description: string): BearerFailure => ({ status: 401, error: "invalid_token", description });
  if (!TOKEN_FORMAT.test(match[1])) return invalid("The access token is invalid, expired or revoked.");
  const [row] = await bearerLookup(db).execute({ tokenHash: hashSecret(match[1]) });
  const token = row?.token;
  if (token?.kind !== "access" || !isTokenLive(token)) return invalid("The access token is invalid, expired or revoked.");
  // A token is for the resource it was issued for only (RFC 8707; RFC 9068 §4 aud check).
  if (token.resource !== resource) return invalid(`The access token was issued for another resource (${token.resource ?? "the REST API"}).`);
  const { client } = row;
  if (!client || row.teamName === null) return invalid("The application was deleted.");

  let ctx: TeamContext;
  const team = { id: token.teamId, name: row.teamName };
  if (token.userId) {
    if (!row.memberRole) return invalid("The user is no longer a member of the team.");
    if (!row.user) return invalid("The user no longer exists.");
    ctx = { actor: row.user, principal: applicationActor(client, row.user.id), team, role: row.memberRole, ip };
  } else {
    if (!client.serviceUserId) return invalid("The application has no service member.");
    const serviceMember = { id: client.serviceUserId, email: client.name, name: client.name };
    ctx = { actor: serviceMember, principal: applicationActor(client), team, role: client.role, ip };
  }
  // "Last used" is shown to the minute: written only when the row read above is older than that, so a
  // busy client costs no write (and no row lock) per request.
  if (!client.lastUsedAt || client.lastUsedAt.getTime() < Date.now() - LAST_USED_GRANULARITY_MS) {
    await db
      .update(oauthClients)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(oauthClients.id, client.id),
          or(isNull(oauthClients.lastUsedAt), lt(oauthClients.lastUsedAt, new Date(Date.now() - LAST_USED_GRANULARITY_MS))),
        ),
      );
  }
  return { ctx, scopes: token.scopes, client: { id: client.id, clientId: client.clientId, name: client.name }, tokenId: token.id };
}
