import "server-only";
import type { Database } from "@/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, userActor } from "@/lib/auth/team-context";
import { type AuthorizationRequest, clientRedirect } from "./authorize";
import { issueAuthorizationCode, rememberedScopes } from "./consents";
import { currentRole } from "./membership";

/** What the authorization endpoint does with a checked request once it knows who is signed in. */
export type AuthorizationAnswer = { kind: "redirect"; url: string } | { kind: "sign-in" } | { kind: "consent-screen"; isMember: boolean };

/**
 * Remembered consent: a request whose scopes are all within what the user already granted the client is
 * answered with a code at once. `prompt=consent` always shows the screen; `prompt=none` never does and
 * answers with the OpenID Connect Core §3.1.2.6 error naming what a page would have asked for.
 */
export async function answerAuthorization(db: Database, request: AuthorizationRequest, user: Actor | null, ip: string): Promise<AuthorizationAnswer> {
  const { client, prompt, state } = request;
  const fail = (error: "login_required" | "consent_required" | "access_denied", description: string): AuthorizationAnswer => ({
    kind: "redirect",
    url: clientRedirect(request.redirectUri, { error, error_description: description, state }),
  });
  if (!user) return prompt === "none" ? fail("login_required", "The user is not signed in to Plugboard.") : { kind: "sign-in" };
  // A new dynamic registration is always shown: approving it is what registers it in the user's team.
  if (request.pendingRegistration) {
    return prompt === "none" ? fail("consent_required", "The application has not been approved yet.") : { kind: "consent-screen", isMember: true };
  }
  const isMember = Boolean(await currentRole(db, client.teamId, user.id));
  if (prompt === "consent") return { kind: "consent-screen", isMember };
  if (!isMember) {
    return prompt === "none" ? fail("access_denied", "The user is not a member of the application's team.") : { kind: "consent-screen", isMember };
  }
  const granted = await rememberedScopes(db, client.id, user.id);
  const covered = granted !== null && request.scopes.every((scope) => granted.includes(scope));
  if (!covered)
    return prompt === "none"
      ? fail("consent_required", "The user has not granted these scopes to the application.")
      : { kind: "consent-screen", isMember };

  const code = await db.transaction(async (tx) => {
    const issued = await issueAuthorizationCode(tx, client, user.id, request);
    await recordAudit(tx, {
      teamId: client.teamId,
      actor: userActor(user),
      action: "oauth.consent_remembered",
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId, name: client.name, scopes: request.scopes, grantId: issued.grantId },
      ip,
    });
    return issued.code;
  });
  return { kind: "redirect", url: clientRedirect(request.redirectUri, { code, state }) };
}
