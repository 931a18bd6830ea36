import "server-only";
import type { Executor } from "@/db";
import { instanceSignInSettings } from "@/db/schema";

/** The instance's sign-in settings (SSO-only mode and its break-glass account); no row is the default, passwords on. */
export async function readSignInSettings(db: Executor): Promise<{ ssoOnly: boolean; breakGlassUserId: string | null }> {
  const [row] = await db
    .select({ ssoOnly: instanceSignInSettings.ssoOnly, breakGlassUserId: instanceSignInSettings.breakGlassUserId })
    .from(instanceSignInSettings)
    .limit(1);
  return row ?? { ssoOnly: false, breakGlassUserId: null };
}

export async function ssoOnlyEnabled(db: Executor): Promise<boolean> {
  return (await readSignInSettings(db)).ssoOnly;
}

/** True when SSO-only mode refuses this account's password sign-in: it is on and the account is not the break-glass one. */
export async function passwordSignInRefused(db: Executor, userId: string): Promise<boolean> {
  const settings = await readSignInSettings(db);
  return settings.ssoOnly && settings.breakGlassUserId !== userId;
}
