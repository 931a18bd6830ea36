import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { users } from "@/db/schema";
import { instanceAdminId } from "@/lib/auth/instance-admin";
import type { Actor } from "@/lib/auth/team-context";
import { readSignInSettings } from "./sign-in-settings";
import { listSsoProvidersForAdmin, type SsoProviderListing } from "./stored-providers";

export type SsoAdminView =
  | { allowed: false; instanceAdminEmail: string | null }
  | { allowed: true; providers: SsoProviderListing[]; ssoOnly: boolean; breakGlassEmail: string | null };

/** What the Single sign-on page shows `actor`: the settings for the instance admin, whom to ask for anyone else. */
export async function ssoAdminView(db: Executor, actor: Actor): Promise<SsoAdminView> {
  const adminId = await instanceAdminId(db);
  if (adminId !== actor.id) return { allowed: false, instanceAdminEmail: adminId ? await emailOf(db, adminId) : null };
  const settings = await readSignInSettings(db);
  return {
    allowed: true,
    providers: await listSsoProvidersForAdmin(db, actor),
    ssoOnly: settings.ssoOnly,
    breakGlassEmail: settings.breakGlassUserId ? await emailOf(db, settings.breakGlassUserId) : null,
  };
}

async function emailOf(db: Executor, userId: string): Promise<string | null> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return user?.email ?? null;
}
