import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { allOf } from "@/db/conditions";
import { oauthClients, oauthCodes, oauthConsents, oauthGrants, oauthTokens, teams, type OAuthClientRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/team-context";
import { NotFoundError } from "@/lib/errors/service-error";
import { clientRedirect } from "./authorize";
import { AUTHORIZATION_CODE_TTL_SECONDS } from "./config";
import type { ConsentTicket } from "./consent-ticket";
import { currentRole } from "./membership";
import { hashSecret, randomSecret } from "./secrets";
import { bindRegistration } from "./registration";
import { registrationNeedsApproval } from "./registration-approval";
import { revokeTokensWhere } from "./tokens";
import { userActor } from "@/lib/auth/team-context";

export type DecisionResult = { kind: "redirect"; url: string } | { kind: "page"; message: string };

/**
 * The user's answer on the consent screen. The ticket was checked against the request when the page
 * was shown; the client is loaded again because it may have changed or been deleted since.
 */
export async function decideConsent(
  db: Database,
  input: { ticket: ConsentTicket; approve: boolean; user: Actor; ip: string },
): Promise<DecisionResult> {
  const { ticket, user, ip } = input;
  let clientRowId = ticket.clientRowId;
  if (ticket.registration) {
    const bound = await approveRegistration(db, ticket.registration, input);
    if ("message" in bound) return { kind: "page", ...bound };
    if ("url" in bound) return { kind: "redirect", ...bound };
    clientRowId = bound.id;
  }
  const [client] = await db.select().from(oauthClients).where(eq(oauthClients.id, clientRowId));
  if (client?.grantType !== "authorization_code" || !client.redirectUris.includes(ticket.redirectUri)) {
    return { kind: "page", message: "This application is no longer registered for this redirect URI." };
  }
  const back = (params: Parameters<typeof clientRedirect>[1]): DecisionResult => ({
    kind: "redirect",
    url: clientRedirect(ticket.redirectUri, params),
  });
  const audit = (tx: Executor, action: string, metadata: Record<string, unknown>) =>
    recordAudit(tx, {
      teamId: client.teamId,
      actor: userActor(user),
      action,
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId, name: client.name, ...metadata },
      ip,
    });

  if (!input.approve) {
    await audit(db, "oauth.consent_denied", { scopes: ticket.scopes });
    return back({ error: "access_denied", error_description: "The user denied the request.", state: ticket.state });
  }
  if (!(await currentRole(db, client.teamId, user.id))) {
    await audit(db, "oauth.consent_denied", { scopes: ticket.scopes, reason: "not_a_member" });
    return back({ error: "access_denied", error_description: "The user is not a member of the application's team.", state: ticket.state });
  }
  if (ticket.scopes.some((s) => !client.scopes.includes(s))) {
    return back({ error: "invalid_scope", error_description: "The application's scopes changed; start again.", state: ticket.state });
  }
  const code = await db.transaction(async (tx) => {
    await upsertConsent(tx, client, user.id, ticket.scopes);
    const issued = await issueAuthorizationCode(tx, client, user.id, ticket);
    await audit(tx, "oauth.consent_given", { scopes: ticket.scopes, grantId: issued.grantId });
    return issued.code;
  });
  return back({ code, state: ticket.state });
}

/** A grant for the user and a one-minute code bound to the request's redirect URI and PKCE challenge. */
export async function issueAuthorizationCode(
  tx: Executor,
  client: OAuthClientRow,
  userId: string,
  request: { scopes: string[]; resource: string | null; redirectUri: string; redirectUriSent: boolean; codeChallenge: string },
): Promise<{ code: string; grantId: string }> {
  const code = randomSecret("pbcode");
  const [grant] = await tx
    .insert(oauthGrants)
    .values({ clientId: client.id, teamId: client.teamId, userId, scopes: request.scopes, resource: request.resource })
    .returning({ id: oauthGrants.id });
  await tx.insert(oauthCodes).values({
    codeHash: hashSecret(code),
    grantId: grant.id,
    clientId: client.id,
    redirectUri: request.redirectUri,
    redirectUriSent: request.redirectUriSent,
    codeChallenge: request.codeChallenge,
    expiresAt: new Date(Date.now() + AUTHORIZATION_CODE_TTL_SECONDS * 1000),
  });
  return { code, grantId: grant.id };
}

/** The scopes the user already granted this client, or null when there is no remembered consent. */
export async function rememberedScopes(db: Executor, clientRowId: string, userId: string): Promise<string[] | null> {
  const [row] = await db
    .select({ scopes: oauthConsents.scopes })
    .from(oauthConsents)
    .where(and(eq(oauthConsents.clientId, clientRowId), eq(oauthConsents.userId, userId)));
  return row?.scopes ?? null;
}

async function upsertConsent(tx: Executor, client: OAuthClientRow, userId: string, scopes: string[]) {
  const [existing] = await tx
    .select()
    .from(oauthConsents)
    .where(and(eq(oauthConsents.clientId, client.id), eq(oauthConsents.userId, userId)));
  if (!existing) {
    await tx.insert(oauthConsents).values({ clientId: client.id, userId, teamId: client.teamId, scopes });
    return;
  }
  const merged = [...new Set([...existing.scopes, ...scopes])];
  await tx.update(oauthConsents).set({ scopes: merged, updatedAt: new Date() }).where(eq(oauthConsents.id, existing.id));
}

/** The applications a user has let act for them, in every team. */
export async function listUserConsents(db: Executor, userId: string) {
  return db
    .select({
      id: oauthConsents.id,
      applicationName: oauthClients.name,
      teamName: teams.name,
      scopes: oauthConsents.scopes,
      createdAt: oauthConsents.createdAt,
      updatedAt: oauthConsents.updatedAt,
    })
    .from(oauthConsents)
    .innerJoin(oauthClients, eq(oauthClients.id, oauthConsents.clientId))
    .innerJoin(teams, eq(teams.id, oauthConsents.teamId))
    .where(eq(oauthConsents.userId, userId))
    .orderBy(desc(oauthConsents.updatedAt));
}

/** Revoking consent kills the client's tokens for this user at once, and any code not yet exchanged. */
export async function revokeConsent(db: Database, user: Actor, consentId: string, ip: string | null) {
  await db.transaction(async (tx) => {
    const [consent] = await tx
      .delete(oauthConsents)
      .where(and(eq(oauthConsents.id, consentId), eq(oauthConsents.userId, user.id)))
      .returning();
    if (!consent) throw new NotFoundError("That consent");
    await tx
      .update(oauthGrants)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(oauthGrants.clientId, consent.clientId), eq(oauthGrants.userId, user.id), isNull(oauthGrants.revokedAt)));
    const count = await revokeTokensWhere(tx, allOf(eq(oauthTokens.clientId, consent.clientId), eq(oauthTokens.userId, user.id)));
    const [client] = await tx
      .select({ clientId: oauthClients.clientId, name: oauthClients.name })
      .from(oauthClients)
      .where(eq(oauthClients.id, consent.clientId));
    const entry = { teamId: consent.teamId, actor: userActor(user), target: { type: "oauth_client", id: consent.clientId }, ip };
    await recordAudit(tx, {
      ...entry,
      action: "oauth.consent_revoked",
      metadata: { clientId: client?.clientId, name: client?.name, scopes: consent.scopes },
    });
    await recordAudit(tx, { ...entry, action: "oauth.token_revoked", metadata: { reason: "consent_revoked", count, clientId: client?.clientId } });
  });
}

/**
 * RFC 7591: approving a pending registration registers the client in the team the consent screen named
 * (the approver's current team, where they must still be a member); denying it leaves it unbound.
 */
async function approveRegistration(
  db: Database,
  registration: { clientId: string; teamId: string },
  input: { ticket: ConsentTicket; approve: boolean; user: Actor; ip: string },
): Promise<{ id: string } | { message: string } | { url: string }> {
  const { ticket, user } = input;
  if (!input.approve) {
    return {
      url: clientRedirect(ticket.redirectUri, { error: "access_denied", error_description: "The user denied the request.", state: ticket.state }),
    };
  }
  const role = await currentRole(db, registration.teamId, user.id);
  if (!role) return { message: "You are no longer a member of that team." };
  const needsApproval = await registrationNeedsApproval(db, registration.teamId, role);
  const client = await db.transaction((tx) => bindRegistration(tx, { ...registration, needsApproval }, user, input.ip));
  if (!client) return { message: "This registration has expired or was already approved. Start again from the application." };
  if (needsApproval) {
    // RFC 6749 §4.1.2.1: the authorization server denies the request for now; the client is told why.
    const error_description = "The application waits for an admin of the team to approve it under Applications; connect again after that.";
    return { url: clientRedirect(ticket.redirectUri, { error: "access_denied", error_description, state: ticket.state }) };
  }
  return { id: client.id };
}
