"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/auth/action";
import { deleteSsoProviderSchema, ssoOnlySchema, ssoProviderFormSchema } from "@/lib/sso/provider-schema";
import { setSsoOnly } from "@/lib/sso/sso-only";
import { deleteSsoProvider, saveSsoProvider } from "@/lib/sso/stored-providers";

// Instance settings: any signed-in user reaches these actions, and each service refuses all but the
// instance admin (lib/auth/instance-admin.ts). Answers never carry a client secret.

export const saveSsoProviderAction = userAction({ schema: ssoProviderFormSchema }, async ({ actor, ip }, input, db) => {
  const saved = await saveSsoProvider(db, actor, input, ip);
  revalidatePath("/admin/sso");
  return saved;
});

export const deleteSsoProviderAction = userAction({ schema: deleteSsoProviderSchema }, async ({ actor, ip }, input, db) => {
  await deleteSsoProvider(db, actor, input.id, ip);
  revalidatePath("/admin/sso");
  return null;
});

export const setSsoOnlyAction = userAction({ schema: ssoOnlySchema }, async ({ actor, ip }, input, db) => {
  await setSsoOnly(db, actor, input, ip);
  revalidatePath("/admin/sso");
  return null;
});
