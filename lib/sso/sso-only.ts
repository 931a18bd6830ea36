import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database, Executor } from "@/db";
import { instanceSignInSettings, memberships, ssoIdentities, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { instanceAdminId, requireInstanceAdmin } from "@/lib/auth/instance-admin";
import { userActor, type Actor } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import type { ssoOnlySchema } from "./provider-schema";
import { discoveryProblem } from "./sso-fetch";
import { allSsoProviders } from "./stored-providers";

const fieldError = (field: string, message: string) => new ServiceError("Check the highlighted fields.", "invalid", { [field]: message });

/**
 * Turns SSO-only mode on or off. On: password sign-in is refused to everyone but the named break-glass
 * account (an admin of a team). Refused when no provider answers its discovery now, and when the instance
 * admin would lose this page: they must be the break-glass account or able to sign in with single sign-on.
 */
export async function setSsoOnly(
  db: Database,
  actor: Actor,
  input: z.output<typeof ssoOnlySchema>,
  ip: string | null,
  doFetch?: typeof fetch,
): Promise<void> {
  await requireInstanceAdmin(db, actor.id);
  if (!input.ssoOnly) {
    await writeSettings(db, actor, { ssoOnly: false, breakGlass: null }, ip);
    return;
  }
  if (!input.breakGlassEmail) throw fieldError("breakGlassEmail", "Name the break-glass account: its email.");
  const [breakGlass] = await db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${input.breakGlassEmail}`);
  if (!breakGlass) throw fieldError("breakGlassEmail", "No account has this email.");
  if (!(await isTeamAdmin(db, breakGlass.id))) throw fieldError("breakGlassEmail", "The break-glass account must be an admin of a team.");
  const providers = await allSsoProviders(db);
  if (providers.length === 0) throw fieldError("ssoOnly", "Add a single sign-on provider first.");
  const adminId = await instanceAdminId(db);
  const providerIds = providers.map(({ provider }) => provider.id);
  if (adminId && adminId !== breakGlass.id && !(await hasSsoIdentity(db, adminId, providerIds))) {
    throw fieldError(
      "breakGlassEmail",
      "You would lose access to this page: name your own account, or sign in once with single sign-on to link it first.",
    );
  }
  // Network calls, outside any transaction; one provider that answers is enough.
  let working = false;
  for (const { provider } of providers) {
    if (!(await discoveryProblem(provider.issuer, doFetch))) {
      working = true;
      break;
    }
  }
  if (!working) throw fieldError("ssoOnly", "No provider answers its discovery now: people could not sign in at all.");
  await writeSettings(db, actor, { ssoOnly: true, breakGlass }, ip);
}

async function writeSettings(
  db: Database,
  actor: Actor,
  settings: { ssoOnly: boolean; breakGlass: { id: string; email: string } | null },
  ip: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const values = { ssoOnly: settings.ssoOnly, breakGlassUserId: settings.breakGlass?.id ?? null, updatedAt: new Date() };
    await tx
      .insert(instanceSignInSettings)
      .values({ id: true, ...values })
      .onConflictDoUpdate({ target: instanceSignInSettings.id, set: values });
    await recordAudit(tx, {
      teamId: null,
      actor: userActor(actor),
      action: settings.ssoOnly ? "sso.sso_only_on" : "sso.sso_only_off",
      metadata: settings.breakGlass ? { breakGlass: settings.breakGlass.email } : {},
      ip,
    });
  });
}

async function isTeamAdmin(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ teamId: memberships.teamId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "admin")))
    .limit(1);
  return !!row;
}

/** Whether the account can sign in with one of these providers (an identity linked there). */
async function hasSsoIdentity(db: Executor, userId: string, providerIds: string[]): Promise<boolean> {
  const [row] = await db
    .select({ userId: ssoIdentities.userId })
    .from(ssoIdentities)
    .where(and(eq(ssoIdentities.userId, userId), inArray(ssoIdentities.providerId, providerIds)))
    .limit(1);
  return !!row;
}
