"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { createApplication, deleteApplication, regenerateClientSecret } from "@/lib/oauth-server/clients";
import { applicationIdSchema, createApplicationSchema } from "@/lib/oauth-server/schemas";

export const createApplicationAction = teamAction({ schema: createApplicationSchema, role: "admin" }, async (ctx, input, db) => {
  const created = await createApplication(db, ctx, input);
  revalidatePath("/team/applications");
  return created;
});

export const regenerateSecretAction = teamAction({ schema: applicationIdSchema, role: "admin" }, async (ctx, input, db) => {
  const created = await regenerateClientSecret(db, ctx, input.applicationId);
  revalidatePath("/team/applications");
  return created;
});

export const deleteApplicationAction = teamAction({ schema: applicationIdSchema, role: "admin" }, async (ctx, input, db) => {
  const result = await deleteApplication(db, ctx, input.applicationId);
  revalidatePath("/team/applications");
  return result;
});
