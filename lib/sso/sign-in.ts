import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { memberships, ssoIdentities, ssoPendingLinks, teams, users, type TeamRole } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { userActor } from "@/lib/auth/team-context";
import { randomToken, sha256Hex } from "@/lib/crypto/tokens";
import type { SsoProvider } from "./config";
import { checkClaims, desiredRoles, type SsoIdentityClaims } from "./policy";
import type { SsoRefusal } from "./refusals";

/** How long an SSO sign-in waits for the password sign-in that links it to a local account. */
export const PENDING_LINK_SECONDS = 15 * 60;

export type SsoSignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string }; created: boolean }
  | { ok: false; reason: SsoRefusal; linkToken?: string };

class NoTeamRefusal extends Error {}
/** Another sign-in created this account (or took its email) between our look-up and our insert. */
class AccountCreatedMeanwhile extends Error {}

/**
 * Signs in the owner of verified ID token claims: their linked account, else a new one (just in time);
 * an unlinked local account with the same email is never taken over, it waits for a password sign-in
 * (consumePendingLink). Team memberships follow the provider's rules at every sign-in.
 */
export async function completeSsoSignIn(
  db: Database,
  provider: SsoProvider,
  claims: Record<string, unknown>,
  ip: string | null,
): Promise<SsoSignInOutcome> {
  try {
    return await signInOnce(db, provider, claims, ip);
  } catch (error) {
    // Two first sign-ins of one new user at once (two tabs, a double click): the one that lost the race
    // on the email's unique index starts over and finds the account the other one made.
    if (error instanceof AccountCreatedMeanwhile) return signInOnce(db, provider, claims, ip);
    throw error;
  }
}

async function signInOnce(db: Database, provider: SsoProvider, claims: Record<string, unknown>, ip: string | null): Promise<SsoSignInOutcome> {
  const checked = checkClaims(provider, claims);
  if (!checked.ok) return refuseSsoSignIn(db, provider, checked.reason, checked.email ?? null, ip);
  const identity = checked.identity;

  const [linked] = await db
    .select({ userId: ssoIdentities.userId })
    .from(ssoIdentities)
    .where(and(eq(ssoIdentities.providerId, provider.id), eq(ssoIdentities.subject, identity.subject)));
  let newAccountHash: string | undefined;
  if (!linked) {
    const [local] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${identity.email}`);
    if (local) return startPendingLink(db, provider, identity, local.id, ip);
    // Nobody knows this password: the account signs in through its provider only.
    newAccountHash = await hashPassword(randomBytes(32).toString("base64url"));
  }

  try {
    return await db.transaction(async (tx) => {
      let user: { id: string; email: string; name: string };
      let created = false;
      if (linked) {
        [user] = await tx.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, linked.userId));
        await tx
          .update(ssoIdentities)
          .set({ lastSignInAt: new Date() })
          .where(and(eq(ssoIdentities.providerId, provider.id), eq(ssoIdentities.subject, identity.subject)));
      } else {
        // ON CONFLICT DO NOTHING waits for a concurrent insert of the same email and then inserts nothing:
        // no unique-violation error, and this transaction is rolled back and retried.
        const [inserted] = await tx
          .insert(users)
          .values({ email: identity.email, name: identity.name, passwordHash: newAccountHash ?? "" })
          .onConflictDoNothing()
          .returning({ id: users.id, email: users.email, name: users.name });
        if (!inserted) throw new AccountCreatedMeanwhile();
        user = inserted;
        const [identityRow] = await tx
          .insert(ssoIdentities)
          .values({ providerId: provider.id, subject: identity.subject, userId: user.id })
          .onConflictDoNothing()
          .returning({ userId: ssoIdentities.userId });
        if (!identityRow) throw new AccountCreatedMeanwhile();
        created = true;
        await recordAudit(tx, {
          teamId: null,
          actor: userActor(user),
          action: "auth.sso_account_created",
          target: { type: "user", id: user.id },
          metadata: { provider: provider.id },
          ip,
        });
      }
      await applyMemberships(tx, provider, user, identity.groups, ip);
      const [any] = await tx.select({ teamId: memberships.teamId }).from(memberships).where(eq(memberships.userId, user.id)).limit(1);
      if (!any) throw new NoTeamRefusal();
      await recordAudit(tx, { teamId: null, actor: userActor(user), action: "auth.sso_sign_in", metadata: { provider: provider.id }, ip });
      return { ok: true as const, user, created };
    });
  } catch (error) {
    if (error instanceof NoTeamRefusal) return refuseSsoSignIn(db, provider, "no_team", identity.email, ip);
    throw error;
  }
}

/** Audits a refused SSO sign-in and answers the refusal. */
export async function refuseSsoSignIn(
  db: Executor,
  provider: SsoProvider,
  reason: SsoRefusal,
  email: string | null,
  ip: string | null,
): Promise<SsoSignInOutcome> {
  const [user] = email ? await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`) : [];
  await recordAudit(db, {
    teamId: null,
    actor: { kind: "user", userId: user?.id ?? null, email: email ?? "unknown" },
    action: "auth.sso_refused",
    metadata: { provider: provider.id, reason },
    ip,
  });
  return { ok: false, reason };
}

async function startPendingLink(
  db: Executor,
  provider: SsoProvider,
  identity: SsoIdentityClaims,
  userId: string,
  ip: string | null,
): Promise<SsoSignInOutcome> {
  const token = randomToken();
  await db.insert(ssoPendingLinks).values({
    tokenHash: sha256Hex(token),
    userId,
    providerId: provider.id,
    subject: identity.subject,
    expiresAt: new Date(Date.now() + PENDING_LINK_SECONDS * 1000),
  });
  await recordAudit(db, {
    teamId: null,
    actor: { kind: "user", userId, email: identity.email },
    action: "auth.sso_link_pending",
    metadata: { provider: provider.id },
    ip,
  });
  return { ok: false, reason: "link_required", linkToken: token };
}

/**
 * After `userId` signed in with their password: links the SSO identity this browser's pending-link token
 * names, if it was started for this very account and has not expired. Consumed once, whatever happens.
 */
export async function consumePendingLink(db: Database, token: string, user: { id: string; email: string }, ip: string | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [pending] = await tx
      .delete(ssoPendingLinks)
      .where(and(eq(ssoPendingLinks.tokenHash, sha256Hex(token)), gt(ssoPendingLinks.expiresAt, new Date())))
      .returning();
    if (!pending || pending.userId !== user.id) return false;
    await tx.insert(ssoIdentities).values({ providerId: pending.providerId, subject: pending.subject, userId: user.id }).onConflictDoNothing();
    await recordAudit(tx, {
      teamId: null,
      actor: userActor(user),
      action: "auth.sso_linked",
      target: { type: "user", id: user.id },
      metadata: { provider: pending.providerId },
      ip,
    });
    return true;
  });
}

/** Finds a configured team reference: a team id, else an exact name held by one team only. */
async function resolveTeam(tx: Executor, ref: string): Promise<{ id: string; name: string } | "missing" | "ambiguous"> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const rows = await tx
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(isUuid ? eq(teams.id, ref) : eq(teams.name, ref))
    .limit(2);
  if (rows.length === 0) return "missing";
  if (rows.length > 1) return "ambiguous";
  return rows[0];
}

/**
 * Sets the user's membership in every team the provider manages to what its rules give, auditing each
 * change in that team's log. A change that would leave a team without any admin is not made (audited).
 */
async function applyMemberships(
  tx: Executor,
  provider: SsoProvider,
  user: { id: string; email: string },
  groups: string[],
  ip: string | null,
): Promise<void> {
  const actor = userActor(user);
  for (const [ref, role] of desiredRoles(provider, groups)) {
    const team = await resolveTeam(tx, ref);
    if (typeof team === "string") {
      await recordAudit(tx, {
        teamId: null,
        actor,
        action: "sso.mapping_team_not_found",
        metadata: { provider: provider.id, team: ref, problem: team },
        ip,
      });
      continue;
    }
    // Serialises with the Team page's role changes, which keep the same "one admin at least" rule.
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, team.id)).for("update");
    const [current] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.teamId, team.id), eq(memberships.userId, user.id)));
    const from: TeamRole | null = current?.role ?? null;
    if (from === role) continue;
    if (from === "admin" && !(await hasOtherAdmin(tx, team.id, user.id))) {
      await recordAudit(tx, {
        teamId: team.id,
        actor,
        action: "sso.mapping_kept_last_admin",
        target: { type: "user", id: user.id },
        metadata: { provider: provider.id, wanted: role },
        ip,
      });
      continue;
    }
    if (role === null) await tx.delete(memberships).where(and(eq(memberships.teamId, team.id), eq(memberships.userId, user.id)));
    else if (from === null) await tx.insert(memberships).values({ teamId: team.id, userId: user.id, role });
    else
      await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.teamId, team.id), eq(memberships.userId, user.id)));
    await recordAudit(tx, {
      teamId: team.id,
      actor,
      action: "sso.membership_changed",
      target: { type: "user", id: user.id },
      metadata: { provider: provider.id, from, to: role, groups: groups.slice(0, 50) },
      ip,
    });
  }
}

async function hasOtherAdmin(tx: Executor, teamId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.role, "admin"), ne(memberships.userId, userId)))
    .limit(1);
  return !!row;
}
