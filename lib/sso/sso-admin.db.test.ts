import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db";
import { auditEvents, memberships, ssoIdentities, ssoProviderConfigs, teams, users } from "@/db/schema";
import { instanceAdminId } from "@/lib/auth/instance-admin";
import { hashPassword } from "@/lib/auth/password";
import { authenticate } from "@/lib/auth/sign-in";
import { userActor } from "@/lib/auth/team-context";
import { guardedFetch } from "@/lib/connections/oauth-transport";
import { getKeyring } from "@/lib/connections/secrets";
import { decryptJson } from "@/lib/crypto";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { acceptInvitationWithNewAccount, createInvitation } from "@/lib/teams/invitations";
import { ssoProviderAad } from "./provider-aad";
import { ssoOnlySchema, ssoProviderFormSchema } from "./provider-schema";
import { passwordSignInRefused } from "./sign-in-settings";
import { setSsoOnly } from "./sso-only";
import { allSsoProviders, deleteSsoProvider, findSsoProvider, listSsoProvidersForAdmin, saveSsoProvider } from "./stored-providers";

// The admin page's services against the suite's OpenID Connect server (OAUTH_TEST_ISSUER, on loopback):
// discovery goes through the guarded dispatcher, here allowed to reach loopback as PLUGBOARD_ALLOWED_HOSTS
// would; the default guard (no allowed hosts) refuses it. SSO-only mode is instance-wide, so its tests run
// in a transaction that is rolled back, invisible to the files running beside this one.

const loopbackAllowed = guardedFetch(parseAllowedHosts("127.0.0.1,localhost"));
const nothingAllowed = guardedFetch(parseAllowedHosts(""));
const SECRET = "client-secret-0123456789abcdef";

afterEach(() => {
  delete process.env.PLUGBOARD_OIDC_PROVIDERS;
});

/** The instance admin (the install's first account; made here when the database has none yet). */
async function instanceAdmin(db: Database) {
  let id = await instanceAdminId(db);
  if (!id) {
    await db.insert(users).values({ email: `${randomUUID()}@example.test`, name: "First", passwordHash: "x" });
    id = await instanceAdminId(db);
  }
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, id ?? ""));
  return user;
}

function providerInput(overrides: Record<string, unknown> = {}) {
  return ssoProviderFormSchema.parse({
    id: `a-${randomUUID().slice(0, 8)}`,
    label: "Sign in with Test ID",
    issuer: process.env.OAUTH_TEST_ISSUER,
    clientId: "plugboard",
    clientSecret: SECRET,
    allowedDomains: "Acme.test, example.test",
    groupMappings: [{ group: "admins", team: "Ops", role: "admin" }],
    ...overrides,
  });
}

class Rollback extends Error {}

/** Runs `use` in a transaction that is always rolled back. */
async function rolledBack(use: (tx: Database) => Promise<void>): Promise<void> {
  const db = await getDb();
  await db
    .transaction(async (tx) => {
      await use(tx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

describe("stored SSO providers", () => {
  it("adds a provider after checking its discovery, seals the secret, and offers it to sign-in next to the environment's", async () => {
    const db = await getDb();
    const admin = await instanceAdmin(db);
    process.env.PLUGBOARD_OIDC_PROVIDERS = JSON.stringify([
      { id: "from-env", label: "Env", issuer: "https://id.example", clientId: "c", clientSecret: "env-secret" },
    ]);
    const input = providerInput();
    await saveSsoProvider(db, admin, input, "10.0.0.1", loopbackAllowed);

    const [row] = await db.select().from(ssoProviderConfigs).where(eq(ssoProviderConfigs.id, input.id));
    expect(row.clientSecret).not.toContain(SECRET);
    expect(JSON.stringify(row.settings)).not.toContain(SECRET);
    expect(row.keyId).toBe(getKeyring().currentKeyId);
    expect(decryptJson(getKeyring(), row.clientSecret, ssoProviderAad(input.id))).toBe(SECRET);
    // Bound to its row: the same envelope under another provider's id does not open.
    expect(() => decryptJson(getKeyring(), row.clientSecret, ssoProviderAad("other"))).toThrow();

    const all = await allSsoProviders(db);
    expect(all[0]).toMatchObject({ source: "environment", provider: { id: "from-env" } });
    expect(all.find((p) => p.provider.id === input.id)).toMatchObject({
      source: "admin",
      provider: { clientSecret: SECRET, allowedDomains: ["acme.test", "example.test"] },
    });
    expect(await findSsoProvider(db, `oidc-${input.id}`)).toMatchObject({ clientSecret: SECRET });
    // The admin page's listing never carries a secret.
    const listing = await listSsoProvidersForAdmin(db, admin);
    expect(JSON.stringify(listing)).not.toContain(SECRET);
    expect(JSON.stringify(listing)).not.toContain("env-secret");

    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "sso.provider_added"), eq(auditEvents.targetId, input.id)));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0])).not.toContain(SECRET);
  });

  it("keeps the stored secret on an edit that leaves it empty, replaces it on one that sets it, and deletes", async () => {
    const db = await getDb();
    const admin = await instanceAdmin(db);
    const input = providerInput();
    await saveSsoProvider(db, admin, input, null, loopbackAllowed);
    await saveSsoProvider(db, admin, { ...input, editing: true, label: "Renamed", clientSecret: "" }, null, loopbackAllowed);
    expect(await findSsoProvider(db, `oidc-${input.id}`)).toMatchObject({ label: "Renamed", clientSecret: SECRET });
    await saveSsoProvider(db, admin, { ...input, editing: true, clientSecret: "new-secret" }, null, loopbackAllowed);
    expect(await findSsoProvider(db, `oidc-${input.id}`)).toMatchObject({ clientSecret: "new-secret" });

    await deleteSsoProvider(db, admin, input.id, null);
    expect(await findSsoProvider(db, `oidc-${input.id}`)).toBeUndefined();
    await expect(deleteSsoProvider(db, admin, input.id, null)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses an issuer whose discovery fails, an id the environment holds, a taken id, a missing secret, and anyone but the instance admin", async () => {
    const db = await getDb();
    const admin = await instanceAdmin(db);
    const input = providerInput();
    // The guarded dispatcher refuses loopback unless allowed: the issuer field says why.
    const refused = saveSsoProvider(db, admin, input, null, nothingAllowed);
    await expect(refused).rejects.toMatchObject({ fieldErrors: { issuer: expect.stringContaining("Discovery at") } });
    // A path with no discovery document behind it.
    await expect(
      saveSsoProvider(db, admin, { ...input, issuer: `${process.env.OAUTH_TEST_ISSUER}/nothing-here` }, null, loopbackAllowed),
    ).rejects.toMatchObject({
      fieldErrors: { issuer: expect.any(String) },
    });
    expect(await findSsoProvider(db, `oidc-${input.id}`)).toBeUndefined();

    process.env.PLUGBOARD_OIDC_PROVIDERS = JSON.stringify([
      { id: input.id, label: "Env", issuer: "https://id.example", clientId: "c", clientSecret: "s" },
    ]);
    await expect(saveSsoProvider(db, admin, input, null, loopbackAllowed)).rejects.toMatchObject({ fieldErrors: { id: expect.any(String) } });
    delete process.env.PLUGBOARD_OIDC_PROVIDERS;

    await expect(saveSsoProvider(db, admin, { ...input, clientSecret: "" }, null, loopbackAllowed)).rejects.toMatchObject({
      fieldErrors: { clientSecret: "Enter the client secret." },
    });
    await saveSsoProvider(db, admin, input, null, loopbackAllowed);
    await expect(saveSsoProvider(db, admin, input, null, loopbackAllowed)).rejects.toMatchObject({
      fieldErrors: { id: "A provider with this id exists." },
    });

    const [someoneElse] = await db
      .insert(users)
      .values({ email: `${randomUUID()}@example.test`, name: "Team admin", passwordHash: "x" })
      .returning();
    const other = providerInput();
    await expect(saveSsoProvider(db, someoneElse, other, null, loopbackAllowed)).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteSsoProvider(db, someoneElse, input.id, null)).rejects.toMatchObject({ code: "forbidden" });
    await expect(listSsoProvidersForAdmin(db, someoneElse)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("shares the environment parser's rules with the form", () => {
    const bad = ssoProviderFormSchema.safeParse({
      id: "Not Valid",
      label: "x",
      issuer: "http://id.example.com",
      clientId: "c",
      groupMappings: [{ group: "g", team: "", role: "owner" }],
    });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error?.issues.map((i) => i.path.join(".")));
    expect(fields).toEqual(new Set(["id", "issuer", "groupMappings.0.team", "groupMappings.0.role"]));
  });
});

describe("SSO-only mode", () => {
  /** In the rolled-back transaction: no provider but those the test adds, a team admin with a known password, a plain member. */
  async function setting(tx: Database) {
    await tx.delete(ssoProviderConfigs);
    const admin = await instanceAdmin(tx);
    const tag = randomUUID().slice(0, 8);
    const passwordHash = await hashPassword("right-password-123");
    const [team] = await tx
      .insert(teams)
      .values({ name: `SSO only ${tag}` })
      .returning();
    const [keeper] = await tx
      .insert(users)
      .values({ email: `keeper-${tag}@example.test`, name: "Keeper", passwordHash })
      .returning();
    const [member] = await tx
      .insert(users)
      .values({ email: `member-${tag}@example.test`, name: "Member", passwordHash })
      .returning();
    await tx.insert(memberships).values([
      { teamId: team.id, userId: keeper.id, role: "admin" },
      { teamId: team.id, userId: member.id, role: "member" },
    ]);
    const on = (breakGlassEmail: string) => ssoOnlySchema.parse({ ssoOnly: true, breakGlassEmail });
    return { admin, keeper, member, team, on };
  }

  it("cannot be turned on without a provider that answers, nor with a break-glass account that is no team admin", async () => {
    await rolledBack(async (tx) => {
      const { admin, keeper, member, on } = await setting(tx);
      // No provider in either source: sign-in offers none, and a password signs in as it does without SSO.
      expect(await allSsoProviders(tx)).toEqual([]);
      const ip = `10.8.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      expect(await authenticate(tx, { email: member.email, password: "right-password-123", ip })).toMatchObject({ ok: true });
      await expect(setSsoOnly(tx, admin, on(keeper.email), null, loopbackAllowed)).rejects.toMatchObject({
        fieldErrors: { ssoOnly: "Add a single sign-on provider first." },
      });
      const provider = providerInput();
      await saveSsoProvider(tx, admin, provider, null, loopbackAllowed);
      await tx.insert(ssoIdentities).values({ providerId: provider.id, subject: randomUUID(), userId: admin.id });
      // The provider is there but does not answer now (the guard refuses it): still refused.
      await expect(setSsoOnly(tx, admin, on(keeper.email), null, nothingAllowed)).rejects.toMatchObject({
        fieldErrors: { ssoOnly: expect.stringContaining("No provider answers") },
      });
      await expect(setSsoOnly(tx, admin, on(member.email), null, loopbackAllowed)).rejects.toMatchObject({
        fieldErrors: { breakGlassEmail: "The break-glass account must be an admin of a team." },
      });
      await expect(setSsoOnly(tx, admin, on("nobody@example.test"), null, loopbackAllowed)).rejects.toMatchObject({
        fieldErrors: { breakGlassEmail: "No account has this email." },
      });
      await expect(setSsoOnly(tx, keeper, on(keeper.email), null, loopbackAllowed)).rejects.toMatchObject({ code: "forbidden" });
      expect(await passwordSignInRefused(tx, member.id)).toBe(false);
    });
  });

  it("does not let the instance admin lock themselves out of this page", async () => {
    await rolledBack(async (tx) => {
      const { admin, keeper, on } = await setting(tx);
      const provider = providerInput();
      await saveSsoProvider(tx, admin, provider, null, loopbackAllowed);
      // An identity at a provider that is no longer configured does not count.
      await tx.delete(ssoIdentities).where(eq(ssoIdentities.userId, admin.id));
      await tx.insert(ssoIdentities).values({ providerId: "gone", subject: randomUUID(), userId: admin.id });
      // Another break-glass account while the instance admin cannot sign in with single sign-on: refused.
      await expect(setSsoOnly(tx, admin, on(keeper.email), null, loopbackAllowed)).rejects.toMatchObject({
        fieldErrors: { breakGlassEmail: expect.stringContaining("You would lose access") },
      });
      // Once their account is linked to a configured provider, they can name someone else.
      await tx.insert(ssoIdentities).values({ providerId: provider.id, subject: randomUUID(), userId: admin.id });
      await setSsoOnly(tx, admin, on(keeper.email), null, loopbackAllowed);
      expect(await passwordSignInRefused(tx, keeper.id)).toBe(false);
    });
  });

  it("refuses a right password to everyone but the break-glass account, audited, and keeps the last provider", async () => {
    await rolledBack(async (tx) => {
      const { admin, keeper, member, team, on } = await setting(tx);
      const provider = providerInput();
      await saveSsoProvider(tx, admin, provider, null, loopbackAllowed);
      await tx.insert(ssoIdentities).values({ providerId: provider.id, subject: randomUUID(), userId: admin.id });
      await setSsoOnly(tx, admin, on(keeper.email.toUpperCase()), "10.0.0.2", loopbackAllowed);

      const ip = `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      expect(await authenticate(tx, { email: member.email, password: "right-password-123", ip })).toEqual({ ok: false, reason: "sso_only" });
      // A wrong password reads the same as ever: the refusal does not tell who may still use one.
      expect(await authenticate(tx, { email: member.email, password: "wrong-password", ip })).toEqual({ ok: false, reason: "invalid" });
      expect(await authenticate(tx, { email: keeper.email, password: "right-password-123", ip })).toMatchObject({
        ok: true,
        user: { id: keeper.id },
      });
      const refusals = await tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "auth.password_refused_sso_only"), eq(auditEvents.actorUserId, member.id)));
      expect(refusals).toHaveLength(1);
      const [turnedOn] = await tx
        .select()
        .from(auditEvents)
        .where(sql`${auditEvents.action} = 'sso.sso_only_on' and ${auditEvents.metadata}->>'breakGlass' = ${keeper.email}`);
      expect(turnedOn).toMatchObject({ actorUserId: admin.id, ip: "10.0.0.2" });

      // Nor can an invitation make a password account that could never sign in.
      const keeperCtx = { actor: keeper, principal: userActor(keeper), team: { id: team.id, name: team.name }, role: "admin" as const };
      const { token } = await createInvitation(tx, keeperCtx, "member");
      const account = { name: "New", email: `new-${randomUUID()}@example.test`, password: "new-password-123" };
      await expect(acceptInvitationWithNewAccount(tx, token, account, null)).rejects.toMatchObject({ code: "forbidden" });

      await expect(deleteSsoProvider(tx, admin, provider.id, null)).rejects.toMatchObject({ code: "conflict" });
      await setSsoOnly(tx, admin, ssoOnlySchema.parse({ ssoOnly: false }), null, loopbackAllowed);
      expect(await authenticate(tx, { email: member.email, password: "right-password-123", ip })).toMatchObject({ ok: true });
      await deleteSsoProvider(tx, admin, provider.id, null);
    });
  });
});
