import { z } from "zod";
import { accountSchema, teamNameField } from "@/lib/auth/schemas";
import { line } from "@/lib/validation/fields";

export const roleField = z.enum(["admin", "member"], { message: "Choose admin or member." });

export const createTeamSchema = z.object({ name: teamNameField });
export const switchTeamSchema = z.object({ teamId: z.uuid("Choose a team.") });
export const createInvitationSchema = z.object({ role: roleField });
export const revokeInvitationSchema = z.object({ invitationId: z.uuid() });
export const changeRoleSchema = z.object({ userId: z.uuid(), role: roleField });
export const removeMemberSchema = z.object({ userId: z.uuid() });
export const endMemberSessionsSchema = z.object({ userId: z.uuid() });
const invitationTokenField = line(200).min(20, "This invitation link is invalid.");
export const acceptInvitationSchema = z.object({ token: invitationTokenField });
/** The invitation form's account fields plus the token from the link. */
export const signUpWithInvitationSchema = accountSchema.extend({ token: invitationTokenField });

export type CreateTeamInput = z.infer<typeof createTeamSchema>;
