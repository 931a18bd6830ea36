"use server";
import { revalidatePath } from "next/cache";
import { teamAction, userAction } from "@/lib/auth/action";
import { deleteApplication } from "@/lib/oauth-server/clients";
import { revokeConsent } from "@/lib/oauth-server/consents";
import { applicationIdSchema, consentIdSchema, personalAccessTokenSchema } from "@/lib/oauth-server/schemas";
import { createPersonalAccessToken } from "@/lib/oauth-server/system-clients";
import { saveThemePreference } from "@/lib/theme/current-theme";
import { themePreferenceSchema } from "@/lib/theme/schema";

/** A consent belongs to the user, not to a team: the session is the check, and the query filters by user. */
export const revokeConsentAction = userAction({ schema: consentIdSchema }, async ({ actor, ip }, input, db) => {
  await revokeConsent(db, actor, input.consentId, ip);
  revalidatePath("/profile");
  return null;
});

/** The theme is the browser's cookie, not a stored setting: it applies before anyone signs in on that browser. */
export const setThemeAction = userAction({ schema: themePreferenceSchema }, async (_ctx, input) => {
  await saveThemePreference(input.theme);
  return null;
});

/** An admin's personal access token in the current team; its value is in this answer only. */
export const createPersonalAccessTokenAction = teamAction({ schema: personalAccessTokenSchema, role: "admin" }, async (ctx, input, db) => {
  const created = await createPersonalAccessToken(db, ctx, input);
  revalidatePath("/profile");
  return created;
});

/** Revoking deletes the token's application; deleteApplication lets the owner do it whatever their role now. */
export const revokePersonalAccessTokenAction = teamAction({ schema: applicationIdSchema, role: "member" }, async (ctx, input, db) => {
  await deleteApplication(db, ctx, input.applicationId);
  revalidatePath("/profile");
  revalidatePath("/team/applications");
  return null;
});
