import "server-only";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "@/db";
import { oauthClients, teams, users } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { currentRole } from "@/lib/oauth-server/membership";
import { findToken, isTokenLive } from "@/lib/oauth-server/tokens";
import { applicationActor } from "@/lib/auth/actor";

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
 * Resolves `Authorization: Bearer …` (RFC 6750 §2.1; tokens in the query string are not accepted).
 * The role is read on every call: a client-credentials token uses the client's role as its service
 * member; an authorization-code token uses the user's current role, so a removed member's token dies.
 */
export async function authenticateBearer(db: Executor, headers: Headers, ip: string): Promise<ApiPrincipal | BearerFailure> {
  const match = headers.get("authorization")?.match(/^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i);
  if (!match) return { status: 401, error: null, description: "Send an access token from /oauth2/token as Authorization: Bearer <token>." };
  const invalid = (description: string): BearerFailure => ({ status: 401, error: "invalid_token", description });
  const token = await findToken(db, match[1]);
  if (token?.kind !== "access" || !isTokenLive(token)) return invalid("The access token is invalid, expired or revoked.");
  const [row] = await db
    .select({ client: oauthClients, teamName: teams.name })
    .from(oauthClients)
    .innerJoin(teams, eq(teams.id, oauthClients.teamId))
    .where(and(eq(oauthClients.id, token.clientId), eq(oauthClients.teamId, token.teamId)));
  if (!row) return invalid("The application was deleted.");
  const { client } = row;

  let ctx: TeamContext;
  const team = { id: token.teamId, name: row.teamName };
  if (token.userId) {
    const role = await currentRole(db, token.teamId, token.userId);
    if (!role) return invalid("The user is no longer a member of the team.");
    const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, token.userId));
    if (!user) return invalid("The user no longer exists.");
    ctx = { actor: user, principal: applicationActor(client, user.id), team, role, ip };
  } else {
    if (!client.serviceUserId) return invalid("The application has no service member.");
    const serviceMember = { id: client.serviceUserId, email: client.name, name: client.name };
    ctx = { actor: serviceMember, principal: applicationActor(client), team, role: client.role, ip };
  }
  await db
    .update(oauthClients)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(oauthClients.id, client.id),
        or(isNull(oauthClients.lastUsedAt), lt(oauthClients.lastUsedAt, new Date(Date.now() - LAST_USED_GRANULARITY_MS))),
      ),
    );
  return { ctx, scopes: token.scopes, client: { id: client.id, clientId: client.clientId, name: client.name }, tokenId: token.id };
}
