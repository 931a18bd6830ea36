"use server";
import { publicAction, userAction } from "@/lib/auth/action";
import { selectTeam } from "@/lib/auth/current-team";
import { signOut } from "@/lib/auth/next-auth";
import { startPasswordSession } from "@/lib/auth/password-session";
import { noInputSchema, setupSchema } from "@/lib/auth/schemas";
import { getTeamContext } from "@/lib/auth/session";
import { completeSetup } from "@/lib/auth/setup";
import { recordAudit } from "@/lib/audit/record-audit";
import { acceptInvitation, acceptInvitationWithNewAccount } from "@/lib/teams/invitations";
import { acceptInvitationSchema, signUpWithInvitationSchema } from "@/lib/teams/schemas";

// Public actions (no session yet): each service checks what it needs (setup runs once, invitations are valid).

export const setupAction = publicAction({ schema: setupSchema }, async ({ ip }, input, db) => {
  const { teamId } = await completeSetup(db, input, ip);
  await selectTeam(teamId);
  await startPasswordSession(input.email, input.password);
  return null;
});

/** Someone without an account signs up through the invitation link. */
export const signUpWithInvitationAction = publicAction({ schema: signUpWithInvitationSchema }, async ({ ip }, { token, ...account }, db) => {
  const { teamId } = await acceptInvitationWithNewAccount(db, token, account, ip);
  await selectTeam(teamId);
  await startPasswordSession(account.email, account.password);
  return null;
});

/** Public so that a session whose user is gone can still be cleared; the audit row needs a session. */
export const signOutAction = publicAction({ schema: noInputSchema }, async (_caller, _input, db) => {
  const ctx = await getTeamContext();
  if (ctx) await recordAudit(db, { teamId: null, actor: ctx.principal, action: "auth.sign_out", ip: ctx.ip });
  await signOut({ redirectTo: "/sign-in" });
  return null;
});

/** A signed-in user joins the invitation's team. */
export const acceptInvitationAction = userAction({ schema: acceptInvitationSchema }, async ({ actor, ip }, input, db) => {
  const { teamId } = await acceptInvitation(db, input.token, actor, ip);
  await selectTeam(teamId);
  return null;
});
