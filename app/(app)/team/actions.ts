"use server";
import { revalidatePath } from "next/cache";
import { teamAction, userAction } from "@/lib/auth/action";
import { selectTeam } from "@/lib/auth/current-team";
import { resolveTeamContext } from "@/lib/auth/team-context";
import { getEnv } from "@/lib/config/env";
import { ForbiddenError } from "@/lib/errors/service-error";
import { createTeam } from "@/lib/teams/create-team";
import { createInvitation, revokeInvitation } from "@/lib/teams/invitations";
import { endMemberSessions } from "@/lib/teams/end-sessions";
import { changeMemberRole, removeMember } from "@/lib/teams/members";
import {
  changeRoleSchema,
  createInvitationSchema,
  createTeamSchema,
  endMemberSessionsSchema,
  removeMemberSchema,
  revokeInvitationSchema,
  switchTeamSchema,
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

export const endMemberSessionsAction = teamAction({ schema: endMemberSessionsSchema, role: "admin" }, async (ctx, input, db) => {
  await endMemberSessions(db, ctx, input.userId);
  return null;
});

/** Switching checks membership before remembering the choice. */
export const switchTeamAction = userAction({ schema: switchTeamSchema }, async ({ actor }, input, db) => {
  const ctx = await resolveTeamContext(db, actor.id, input.teamId);
  if (ctx?.team.id !== input.teamId) throw new ForbiddenError("You are not a member of that team.");
  await selectTeam(ctx.team.id);
  return null;
});

/** Any signed-in user can create a team (no team context needed: they may have none yet). */
export const createTeamAction = userAction({ schema: createTeamSchema }, async ({ actor, ip }, input, db) => {
  const team = await createTeam(db, actor, input.name, ip);
  await selectTeam(team.id);
  return { teamId: team.id };
});
