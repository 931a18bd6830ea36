import { z } from "zod";
import { teamNameField } from "@/lib/auth/schemas";

export const roleField = z.enum(["admin", "member"], { message: "Choose admin or member." });

export const createTeamSchema = z.object({ name: teamNameField });
export const switchTeamSchema = z.object({ teamId: z.uuid("Choose a team.") });
export const createInvitationSchema = z.object({ role: roleField });
export const revokeInvitationSchema = z.object({ invitationId: z.uuid() });
export const changeRoleSchema = z.object({ userId: z.uuid(), role: roleField });
export const removeMemberSchema = z.object({ userId: z.uuid() });
export const acceptInvitationSchema = z.object({ token: z.string().min(20).max(200) });

export type CreateTeamInput = z.infer<typeof createTeamSchema>;
