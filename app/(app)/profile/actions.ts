"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/auth/action";
import { revokeConsent } from "@/lib/oauth-server/consents";
import { consentIdSchema } from "@/lib/oauth-server/schemas";
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
