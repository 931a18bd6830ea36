import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db";
import { auditEvents, memberships, ssoIdentities, teams, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { authenticate } from "@/lib/auth/sign-in";
import { ssoProviderSchema } from "./config";
import { auditRefusedSsoCallback } from "./callback-audit";
import { completeSsoSignIn, consumePendingLink } from "./sign-in";

// Each test works with its own teams, users and provider id, so files and tests share the database.
async function setting(db: Database) {
  const tag = randomUUID().slice(0, 8);
  const [everyone] = await db
    .insert(teams)
    .values({ name: `Everyone ${tag}` })
    .returning();
  const [ops] = await db
    .insert(teams)
    .values({ name: `Ops ${tag}` })
    .returning();
  const provider = ssoProviderSchema.parse({
    id: `p-${tag}`,
    label: "Provider",
    issuer: "https://id.example",
    clientId: "c",
    clientSecret: "s",
    defaultTeam: everyone.name,
    groupMappings: [{ group: "ops-admins", team: ops.id, role: "admin" }],
  });
  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: `sub-${tag}`,
    email: `u-${tag}@example.test`,
    email_verified: true,
    name: "U",
    ...extra,
  });
  return { provider, everyone, ops, claims, tag };
}

async function roleIn(db: Database, teamId: string, userId: string) {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

async function auditActions(db: Database, providerId: string) {
  const rows = await db.select({ action: auditEvents.action }).from(auditEvents).where(sql`${auditEvents.metadata}->>'provider' = ${providerId}`);
  return rows.map((r) => r.action);
}

describe("completeSsoSignIn", () => {
  it("creates the account at the first sign-in, in the default team with the default role, then finds it by subject", async () => {
    const db = await getDb();
    const { provider, everyone, ops, claims } = await setting(db);
    const first = await completeSsoSignIn(db, provider, claims(), "10.9.0.1");
    expect(first).toMatchObject({ ok: true, created: true });
    if (!first.ok) throw new Error("refused");
    expect(await roleIn(db, everyone.id, first.user.id)).toBe("member");
    expect(await roleIn(db, ops.id, first.user.id)).toBeNull();
    // The same subject with a changed email is the same account: the subject is the identity.
    const again = await completeSsoSignIn(db, provider, claims({ email: "renamed@example.test" }), null);
    expect(again).toMatchObject({ ok: true, created: false, user: { id: first.user.id } });
    // Nobody can sign in with a password to an account made by SSO.
    const [user] = await db.select().from(users).where(eq(users.id, first.user.id));
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await auditActions(db, provider.id)).toEqual(
      expect.arrayContaining(["auth.sso_account_created", "sso.membership_changed", "auth.sso_sign_in"]),
    );
  });

  it("re-applies the group mapping at each sign-in: a group gives admin, its removal takes the team away", async () => {
    const db = await getDb();
    const { provider, ops, claims } = await setting(db);
    // Another admin in Ops, so removing this user's admin role does not leave the team without one.
    const [keeper] = await db
      .insert(users)
      .values({ email: `${randomUUID()}@example.test`, name: "K", passwordHash: "x" })
      .returning();
    await db.insert(memberships).values({ teamId: ops.id, userId: keeper.id, role: "admin" });
    const signedIn = await completeSsoSignIn(db, provider, claims({ groups: ["ops-admins"] }), null);
    if (!signedIn.ok) throw new Error("refused");
    expect(await roleIn(db, ops.id, signedIn.user.id)).toBe("admin");
    await completeSsoSignIn(db, provider, claims({ groups: [] }), null);
    expect(await roleIn(db, ops.id, signedIn.user.id)).toBeNull();
    const changes = await db
      .select({ metadata: auditEvents.metadata })
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ops.id), eq(auditEvents.action, "sso.membership_changed")));
    expect(changes.map((c) => c.metadata)).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: null, to: "admin" }), expect.objectContaining({ from: "admin", to: null })]),
    );
  });

  it("keeps the last admin of a team rather than leave it without one", async () => {
    const db = await getDb();
    const { provider, ops, claims } = await setting(db);
    const signedIn = await completeSsoSignIn(db, provider, claims({ groups: ["ops-admins"] }), null);
    if (!signedIn.ok) throw new Error("refused");
    await completeSsoSignIn(db, provider, claims({ groups: [] }), null);
    expect(await roleIn(db, ops.id, signedIn.user.id)).toBe("admin");
    expect(await auditActions(db, provider.id)).toContain("sso.mapping_kept_last_admin");
  });

  it("refuses (and audits) an account the rules give no team", async () => {
    const db = await getDb();
    const { provider, claims } = await setting(db);
    const outcome = await completeSsoSignIn(db, { ...provider, defaultTeam: undefined }, claims(), null);
    expect(outcome).toEqual({ ok: false, reason: "no_team" });
    // The account made for it was rolled back with the refusal.
    expect(await db.select().from(users).where(eq(users.email, claims().email))).toHaveLength(0);
    expect(await auditActions(db, provider.id)).toEqual(["auth.sso_refused"]);
  });

  // Two tabs, or a double click, at a new user's first sign-in: both find no account and both create it.
  // PGlite is one connection (the two run one after the other there), so the race needs Postgres.
  it.skipIf(process.env.PLUGBOARD_TEST_DB !== "postgres")("creates one account for two simultaneous first sign-ins of a new user", async () => {
    const db = await getDb();
    const { provider, everyone, claims } = await setting(db);
    const outcomes = await Promise.all([completeSsoSignIn(db, provider, claims(), null), completeSsoSignIn(db, provider, claims(), null)]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const ids = new Set(outcomes.map((o) => (o.ok ? o.user.id : null)));
    expect(ids.size).toBe(1);
    expect(outcomes.filter((o) => o.ok && o.created)).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, claims().email))).toHaveLength(1);
    const [id] = ids;
    expect(await roleIn(db, everyone.id, id ?? "")).toBe("member");
  });

  it("refuses (and audits) an unverified email", async () => {
    const db = await getDb();
    const { provider, claims } = await setting(db);
    expect(await completeSsoSignIn(db, provider, claims({ email_verified: false }), null)).toEqual({ ok: false, reason: "email_unverified" });
    expect(await auditActions(db, provider.id)).toEqual(["auth.sso_refused"]);
  });
});

describe("linking to a local account", () => {
  async function localAccount(db: Database, email: string) {
    const [user] = await db
      .insert(users)
      .values({ email, name: "Local", passwordHash: await hashPassword("local-password-1") })
      .returning();
    return user;
  }

  it("never signs in to a local account by email match: it waits for that account's password sign-in", async () => {
    const db = await getDb();
    const { provider, claims } = await setting(db);
    const local = await localAccount(db, claims().email);
    const outcome = await completeSsoSignIn(db, provider, claims(), null);
    expect(outcome).toMatchObject({ ok: false, reason: "link_required" });
    if (outcome.ok || !outcome.linkToken) throw new Error("no link token");
    expect(await db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, local.id))).toHaveLength(0);

    // The password sign-in, then the link with the token this browser holds: the next SSO sign-in is this account.
    expect(await authenticate(db, { email: local.email, password: "local-password-1", ip: "10.9.1.1" })).toMatchObject({ ok: true });
    expect(await consumePendingLink(db, outcome.linkToken, local, null)).toBe(true);
    expect(await consumePendingLink(db, outcome.linkToken, local, null)).toBe(false);
    expect(await completeSsoSignIn(db, provider, claims(), null)).toMatchObject({ ok: true, created: false, user: { id: local.id } });
    expect(await auditActions(db, provider.id)).toEqual(expect.arrayContaining(["auth.sso_link_pending", "auth.sso_linked", "auth.sso_sign_in"]));
  });

  it("does not link a token started for another account, nor an expired one", async () => {
    const db = await getDb();
    const { provider, claims } = await setting(db);
    const local = await localAccount(db, claims().email);
    const other = await localAccount(db, `other-${randomUUID()}@example.test`);
    const outcome = await completeSsoSignIn(db, provider, claims(), null);
    if (outcome.ok || !outcome.linkToken) throw new Error("no link token");
    expect(await consumePendingLink(db, outcome.linkToken, other, null)).toBe(false);
    // Consumed by that attempt: the right account cannot use it either.
    expect(await consumePendingLink(db, outcome.linkToken, local, null)).toBe(false);
    const late = await completeSsoSignIn(db, provider, claims(), null);
    if (late.ok || !late.linkToken) throw new Error("no link token");
    await db.execute(sql`update sso_pending_links set expires_at = now() - interval '1 second' where user_id = ${local.id}`);
    expect(await consumePendingLink(db, late.linkToken, local, null)).toBe(false);
    expect(await db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, local.id))).toHaveLength(0);
  });
});

describe("a callback Auth.js refuses itself", () => {
  it("is audited as its provider's refusal; one that signs in, or that Plugboard refused (audited already), is not", async () => {
    const db = await getDb();
    const { provider } = await setting(db);
    process.env.PLUGBOARD_OIDC_PROVIDERS = JSON.stringify([provider]);
    try {
      const callback = `http://localhost:3000/api/auth/callback/oidc-${provider.id}?code=c&state=s`;
      await auditRefusedSsoCallback(db, callback, "http://localhost:3000/sign-in?error=Configuration", "10.9.0.1");
      await auditRefusedSsoCallback(db, callback, "http://localhost:3000/connections", "10.9.0.1");
      await auditRefusedSsoCallback(db, callback, "/sign-in?sso_error=no_team", "10.9.0.1");
      await auditRefusedSsoCallback(db, "http://localhost:3000/api/auth/callback/credentials", "/sign-in?error=CredentialsSignin", null);
      const rows = await db
        .select({ metadata: auditEvents.metadata, ip: auditEvents.ip })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "auth.sso_refused"), sql`${auditEvents.metadata}->>'provider' = ${provider.id}`));
      expect(rows).toEqual([{ metadata: { provider: provider.id, reason: "callback_failed" }, ip: "10.9.0.1" }]);
    } finally {
      delete process.env.PLUGBOARD_OIDC_PROVIDERS;
    }
  });
});
