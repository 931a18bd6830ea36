import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { builderCookieJars, connections, ssoProviderConfigs, teamVariables } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { makeTeamContext } from "@/lib/testing/factories";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { ssoProviderAad } from "@/lib/sso/provider-aad";
import { RunCookieJar } from "@/lib/http/cookie-jar";
import { builderJarAad } from "@/lib/requests/builder-jar-aad";
import { openBuilderJar, saveBuilderJar } from "@/lib/requests/builder-cookies";
import { loadTeamVariables, setVariable } from "@/lib/variables";
import { createConnection, findUnknownKeyIds, getCredentialProvider, getKeyring, rotateStoredSecrets } from "./index";
import { connectionInputSchema } from "./schemas";

// Rotation rewrites every row of the database, so it runs only on the per-file in-memory database: on the
// shared Postgres test database it would re-encrypt other files' rows under a key they do not have.
const isolated = process.env.PLUGBOARD_TEST_DB === "pglite";
const key = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;
const [KA, KB, KC, KD, KS1, KS2] = ["ka", "kb", "kc", "kd", "ks1", "ks2"].map(key);
const saved = { current: process.env.PLUGBOARD_ENCRYPTION_KEY, old: process.env.PLUGBOARD_ENCRYPTION_KEYS_OLD };

function setKeys(current: string, old?: string) {
  process.env.PLUGBOARD_ENCRYPTION_KEY = current;
  if (old) process.env.PLUGBOARD_ENCRYPTION_KEYS_OLD = old;
  else delete process.env.PLUGBOARD_ENCRYPTION_KEYS_OLD;
  resetEnvCache();
}

afterAll(() => {
  if (saved.current) setKeys(saved.current, saved.old);
  else delete process.env.PLUGBOARD_ENCRYPTION_KEY;
  resetEnvCache();
});

async function authorizationOf(db: Awaited<ReturnType<typeof getDb>>, ctx: Awaited<ReturnType<typeof makeTeamContext>>, id: string) {
  const headers = new Headers();
  await (await getCredentialProvider(db, ctx, id)).provider.apply(
    { method: "GET", url: new URL("https://x.test"), headers },
    { forceRefresh: false },
  );
  return headers.get("authorization");
}

describe.runIf(isolated)("key rotation", () => {
  // First, on the empty database: it removes its row, so the counts of the tests below are theirs.
  it("re-encrypts the client secrets of SSO providers added on the admin page", async () => {
    const db = await getDb();
    setKeys(KS1);
    await db.insert(ssoProviderConfigs).values({
      id: "rotated",
      settings: {},
      clientSecret: encryptJson(getKeyring(), "sso-client-secret", ssoProviderAad("rotated")),
      keyId: "ks1",
    });
    setKeys(KS2);
    expect(await findUnknownKeyIds(db, getKeyring())).toEqual([{ keyId: "ks1", rows: 1 }]);
    setKeys(KS2, KS1);
    expect(await rotateStoredSecrets(db, getKeyring())).toMatchObject({ ssoProviders: 1 });
    setKeys(KS2);
    const [row] = await db.select().from(ssoProviderConfigs).where(eq(ssoProviderConfigs.id, "rotated"));
    expect(row.keyId).toBe("ks2");
    expect(decryptJson(getKeyring(), row.clientSecret, ssoProviderAad("rotated"))).toBe("sso-client-secret");
    await db.delete(ssoProviderConfigs);
  });

  it("re-encrypts every secret under the current key without losing any, and reports unconfigured keys", async () => {
    const db = await getDb();
    const [a, b] = [KA, KB];
    setKeys(a);
    const ctx = await makeTeamContext();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const input = connectionInputSchema.parse({ type: "api_key", name: `k${n}`, apiKey: `secret-${n}-abcdef`, scheme: "Bearer" });
      ids.push((await createConnection(db, ctx, input)).id);
    }

    // The new key alone cannot read the old rows: the start check names the missing key.
    setKeys(b);
    expect(await findUnknownKeyIds(db, getKeyring())).toEqual([{ keyId: "ka", rows: 3 }]);

    setKeys(b, a);
    expect(await findUnknownKeyIds(db, getKeyring())).toEqual([]);
    expect(await rotateStoredSecrets(db, getKeyring())).toMatchObject({ connections: 3, alreadyCurrent: 0 });
    const rows = await db.select().from(connections).where(eq(connections.teamId, ctx.team.id));
    expect(rows.every((r) => r.keyId === "kb" && r.credentials.startsWith("v1.kb."))).toBe(true);
    expect(await rotateStoredSecrets(db, getKeyring())).toMatchObject({ connections: 0, alreadyCurrent: 3 });

    // The old key can go: everything still decrypts.
    setKeys(b);
    expect(await Promise.all(ids.map((id) => authorizationOf(db, ctx, id)))).toEqual([
      "Bearer secret-1-abcdef",
      "Bearer secret-2-abcdef",
      "Bearer secret-3-abcdef",
    ]);
  });

  it("changes nothing when one stored value cannot be decrypted", async () => {
    const db = await getDb();
    const [a, b] = [KC, KD];
    setKeys(a, KB);
    const ctx = await makeTeamContext();
    const good = await createConnection(db, ctx, connectionInputSchema.parse({ type: "basic", name: "good", username: "u", password: "good-pass" }));
    const bad = await createConnection(db, ctx, connectionInputSchema.parse({ type: "basic", name: "bad", username: "u", password: "bad-pass" }));
    // A ciphertext moved to another row fails its integrity check (the row identity is associated data).
    const [goodRow] = await db.select().from(connections).where(eq(connections.id, good.id));
    await db.update(connections).set({ credentials: goodRow.credentials }).where(eq(connections.id, bad.id));

    // The rows of the test above (under kb) would rotate fine; the transaction still changes nothing.
    setKeys(b, `${a},${KB}`);
    await expect(rotateStoredSecrets(db, getKeyring())).rejects.toThrow(`Cannot re-encrypt connection ${bad.id}`);
    const [after] = await db.select().from(connections).where(eq(connections.id, good.id));
    expect(after.credentials).toBe(goodRow.credentials);
    expect(after.keyId).toBe("kc");
  });

  it("re-encrypts the team's secret variables too, and reports their unconfigured key", async () => {
    const db = await getDb();
    // The damaged row of the test above would stop every rotation: this one starts without connections.
    await db.delete(connections);
    const [ke, kf] = [key("ke"), key("kf")];
    setKeys(ke);
    const ctx = await makeTeamContext();
    await setVariable(db, ctx, { name: "token", value: "variable-secret-1", secret: true });
    setKeys(kf);
    expect(await findUnknownKeyIds(db, getKeyring())).toContainEqual({ keyId: "ke", rows: 1 });
    setKeys(kf, ke);
    expect(await rotateStoredSecrets(db, getKeyring())).toMatchObject({ variables: 1 });
    const [row] = await db.select().from(teamVariables).where(eq(teamVariables.teamId, ctx.team.id));
    expect(row).toMatchObject({ keyId: "kf" });
    expect(row.secretValue?.startsWith("v1.kf.")).toBe(true);
    // The old key can go.
    setKeys(kf);
    expect((await loadTeamVariables(db, ctx.team.id)).values).toEqual({ token: "variable-secret-1" });
  });

  it("re-encrypts the request builder's cookie jars, and drops one no configured key opens instead of stopping", async () => {
    const db = await getDb();
    // The variable of the test above is under a key this one does not configure.
    await db.delete(teamVariables);
    const [kg, kh, kx] = [key("kg"), key("kh"), key("kx")];
    setKeys(kg);
    const ctx = await makeTeamContext();
    const kept = new RunCookieJar();
    await kept.store("session=jar-cookie-value-1; Path=/", new URL("https://jar.example.com/"));
    const session = crypto.randomUUID();
    await saveBuilderJar(db, ctx, session, kept);
    // A jar sealed under a key that is not configured any more (reads as empty already).
    setKeys(kx);
    const lost = { teamId: ctx.team.id, userId: ctx.actor.id, sessionId: crypto.randomUUID() };
    const sealed = encryptJson(getKeyring(), await new RunCookieJar().serialize(), builderJarAad(lost));
    await db.insert(builderCookieJars).values({ ...lost, jar: sealed, keyId: "kx" });

    // Jars stop neither a start nor a rotation: the unconfigured key of a jar alone is not reported.
    setKeys(kh, kg);
    expect(await findUnknownKeyIds(db, getKeyring())).toEqual([]);
    expect(await rotateStoredSecrets(db, getKeyring())).toMatchObject({ cookieJars: 1, cookieJarsDropped: 1 });
    const rows = await db.select().from(builderCookieJars).where(eq(builderCookieJars.teamId, ctx.team.id));
    expect(rows.map((r) => [r.sessionId, r.keyId, r.jar.startsWith("v1.kh.")])).toEqual([[session, "kh", true]]);

    // The old key can go: the jar still opens, with its cookie.
    setKeys(kh);
    const reopened = await openBuilderJar(db, ctx, session);
    expect((await reopened.list()).map((c) => [c.name, c.value])).toEqual([["session", "jar-cookie-value-1"]]);
    expect(await rotateStoredSecrets(db, getKeyring())).toMatchObject({ cookieJars: 0, cookieJarsDropped: 0 });
  });
});
