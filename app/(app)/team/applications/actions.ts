"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { createApplication, deleteApplication, regenerateClientSecret } from "@/lib/oauth-server/clients";
import { updateApplicationAuth, updateApplicationSettings } from "@/lib/oauth-server/application-settings";
import { addClientSecret, revokeClientSecret } from "@/lib/oauth-server/client-secrets";
import { approveApplication } from "@/lib/oauth-server/registration-approval";
import { tokenRequestTarget } from "@/lib/oauth-server/clients";
import {
  applicationAuthSchema,
  applicationIdSchema,
  applicationSettingsSchema,
  clientSecretIdSchema,
  createApplicationSchema,
  regenerateSecretSchema,
} from "@/lib/oauth-server/schemas";

export const createApplicationAction = teamAction({ schema: createApplicationSchema, role: "admin" }, async (ctx, input, db) => {
  const created = await createApplication(db, ctx, input);
  revalidatePath("/team/applications");
  return created;
});

export const regenerateSecretAction = teamAction({ schema: regenerateSecretSchema, role: "admin" }, async (ctx, input, db) => {
  const created = await regenerateClientSecret(db, ctx, input.applicationId, { revokeTokens: input.revokeTokens });
  revalidatePath("/team/applications");
  return created;
});

export const deleteApplicationAction = teamAction({ schema: applicationIdSchema, role: "admin" }, async (ctx, input, db) => {
  const result = await deleteApplication(db, ctx, input.applicationId);
  revalidatePath("/team/applications");
  return result;
});

export const approveApplicationAction = teamAction({ schema: applicationIdSchema, role: "admin" }, async (ctx, input, db) => {
  await approveApplication(db, ctx, input.applicationId);
  revalidatePath("/team/applications");
  return null;
});

export const addSecretAction = teamAction({ schema: applicationIdSchema, role: "admin" }, async (ctx, input, db) => {
  const { client, secret, expiresAt } = await addClientSecret(db, ctx, input.applicationId);
  revalidatePath("/team/applications");
  return {
    id: client.id,
    clientId: client.clientId,
    clientSecret: secret,
    tokenRequest: tokenRequestTarget(client, secret),
    expiresAt: expiresAt?.toISOString() ?? null,
  };
});

export const revokeSecretAction = teamAction({ schema: clientSecretIdSchema, role: "admin" }, async (ctx, input, db) => {
  await revokeClientSecret(db, ctx, input.applicationId, input.secretId);
  revalidatePath("/team/applications");
  return null;
});

export const updateApplicationSettingsAction = teamAction({ schema: applicationSettingsSchema, role: "admin" }, async (ctx, input, db) => {
  await updateApplicationSettings(db, ctx, input);
  revalidatePath("/team/applications");
  return null;
});

export const updateApplicationAuthAction = teamAction({ schema: applicationAuthSchema, role: "admin" }, async (ctx, input, db) => {
  await updateApplicationAuth(db, ctx, input);
  revalidatePath("/team/applications");
  return null;
});
