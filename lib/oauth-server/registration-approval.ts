import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { oauthClients, teams, type TeamRole } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError } from "@/lib/errors/service-error";

/**
 * Admin approval of dynamic registrations (RFC 7591): with the team's setting on, a client a member allows
 * on the consent screen joins the team's Applications waiting for an admin, and gets no code or token
 * until one approves it there (an admin's own allowing approves it at once). Rejecting is deleting it.
 */

/** Whether a registration that `role` allows in the team must wait for an admin. */
export async function registrationNeedsApproval(db: Executor, teamId: string, role: TeamRole): Promise<boolean> {
  if (role === "admin") return false;
  const [team] = await db.select({ need: teams.registrationsNeedApproval }).from(teams).where(eq(teams.id, teamId));
  return team?.need ?? true;
}

export async function getRegistrationApproval(db: Executor, ctx: TeamContext): Promise<boolean> {
  const [team] = await db.select({ need: teams.registrationsNeedApproval }).from(teams).where(eq(teams.id, ctx.team.id));
  return team?.need ?? false;
}

export async function setRegistrationApproval(db: Database, ctx: TeamContext, needApproval: boolean): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    await tx.update(teams).set({ registrationsNeedApproval: needApproval }).where(eq(teams.id, ctx.team.id));
    await recordTeamAudit(tx, ctx, { action: "team.registration_approval_changed", metadata: { needApproval } });
  });
}

/** An admin approves a waiting dynamic registration: from now on it may get codes and tokens. */
export async function approveApplication(db: Database, ctx: TeamContext, applicationId: string): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const [client] = await tx
      .update(oauthClients)
      .set({ approvedAt: new Date(), approvedBy: ctx.actor.id })
      .where(and(eq(oauthClients.id, applicationId), eq(oauthClients.teamId, ctx.team.id), isNull(oauthClients.approvedAt)))
      .returning({ id: oauthClients.id, clientId: oauthClients.clientId, name: oauthClients.name, createdBy: oauthClients.createdBy });
    if (!client) throw new NotFoundError("That application waiting for approval");
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_approved",
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId, name: client.name, allowedBy: client.createdBy },
    });
  });
}
