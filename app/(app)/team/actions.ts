"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { actionFailure, teamAction, zodFieldErrors, type ActionResult } from "@/lib/auth/action";
import { selectTeam } from "@/lib/auth/current-team";
import { getSessionActor } from "@/lib/auth/session";
import { resolveTeamContext } from "@/lib/auth/team-context";
import { getEnv } from "@/lib/config/env";
import { createTeam } from "@/lib/teams/create-team";
import { createInvitation, revokeInvitation } from "@/lib/teams/invitations";
import { changeMemberRole, removeMember } from "@/lib/teams/members";
import {
  changeRoleSchema,
  createInvitationSchema,
  createTeamSchema,
  removeMemberSchema,
  revokeInvitationSchema,
  switchTeamSchema,
  type CreateTeamInput,
} from "@/lib/teams/schemas";

export const createInvitationAction = teamAction({ schema: createInvitationSchema, role: "admin" }, async (ctx, input, db) => {
  const { token, expiresAt } = await createInvitation(db, ctx, input.role);
  revalidatePath("/team");
  return { url: `${getEnv().publicUrl}/invite/${token}`, expiresAt: expiresAt.toISOString() };
});

export const revokeInvitationAction = teamAction({ schema: revokeInvitationSchema, role: "admin" }, async (ctx, input, db) => {
  await revokeInvitation(db, ctx, input.invitationId);
  revalidatePath("/team");
  return null;
});

export const changeRoleAction = teamAction({ schema: changeRoleSchema, role: "admin" }, async (ctx, input, db) => {
  await changeMemberRole(db, ctx, input.userId, input.role);
  revalidatePath("/team");
  return null;
});

export const removeMemberAction = teamAction({ schema: removeMemberSchema, role: "admin" }, async (ctx, input, db) => {
  await removeMember(db, ctx, input.userId);
  revalidatePath("/team");
  return null;
});

/** Switching checks membership before remembering the choice. */
export async function switchTeamAction(input: { teamId: string }): Promise<ActionResult> {
  const parsed = switchTeamSchema.safeParse(input);
  const actor = await getSessionActor();
  if (!actor) return { ok: false, error: "Your session has ended. Sign in again." };
  if (!parsed.success) return { ok: false, error: "Choose a team." };
  const ctx = await resolveTeamContext(await getDb(), actor.id, parsed.data.teamId);
  if (ctx?.team.id !== parsed.data.teamId) return { ok: false, error: "You are not a member of that team." };
  await selectTeam(ctx.team.id);
  return { ok: true, data: null };
}

/** Any signed-in user can create a team (no team context needed: they may have none yet). */
export async function createTeamAction(input: CreateTeamInput): Promise<ActionResult<{ teamId: string }>> {
  const actor = await getSessionActor();
  if (!actor) return { ok: false, error: "Your session has ended. Sign in again." };
  const parsed = createTeamSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
  try {
    const team = await createTeam(await getDb(), actor, parsed.data.name);
    await selectTeam(team.id);
    return { ok: true, data: { teamId: team.id } };
  } catch (error) {
    return actionFailure(error);
  }
}
