import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { builderCookieJars, connections, oauthSigningKeys, oauthStates, ssoProviderConfigs, teamVariables } from "@/db/schema";
import { decryptJson, DecryptionError, reencrypt, type Keyring } from "@/lib/crypto";
import { variableAad } from "@/lib/variables/variables";
import { ssoProviderAad } from "@/lib/sso/provider-aad";
import { builderJarAad } from "@/lib/requests/builder-jar-aad";
import { connectionAad, oauthStateAad } from "./secrets";

/**
 * Key rotation and the start-up key check. Rotation re-encrypts every stored secret under the current key
 * in one transaction: if any value cannot be decrypted, nothing is changed and the error names the row.
 */

export interface RotationReport {
  connections: number;
  pendingConsents: number;
  /** Secret team variables ({{vars.NAME}}), sealed like connections. */
  variables: number;
  /** Client secrets of single sign-on providers added on the admin page. */
  ssoProviders: number;
  /** The request builder's kept cookie jars (lib/requests/builder-cookies.ts). */
  cookieJars: number;
  /**
   * Jars that could not be opened (sealed under a key no longer configured, or damaged): deleted, since they
   * already read as empty, so that no stored value is left under a retired key. They never stop a rotation.
   */
  cookieJarsDropped: number;
  alreadyCurrent: number;
}

export async function rotateStoredSecrets(db: Database, keyring: Keyring): Promise<RotationReport> {
  return db.transaction(async (tx) => {
    const report: RotationReport = {
      connections: 0,
      pendingConsents: 0,
      variables: 0,
      ssoProviders: 0,
      cookieJars: 0,
      cookieJarsDropped: 0,
      alreadyCurrent: 0,
    };
    const rows = await tx
      .select({ id: connections.id, teamId: connections.teamId, credentials: connections.credentials, keyId: connections.keyId })
      .from(connections)
      .for("update");
    for (const row of rows) {
      if (row.keyId === keyring.currentKeyId && row.credentials.startsWith(`v1.${keyring.currentKeyId}.`)) {
        report.alreadyCurrent++;
        continue;
      }
      const credentials = attempt(() => reencrypt(keyring, row.credentials, connectionAad(row.teamId, row.id)), `connection ${row.id}`);
      await tx.update(connections).set({ credentials, keyId: keyring.currentKeyId }).where(eq(connections.id, row.id));
      report.connections++;
    }
    const states = await tx.select().from(oauthStates).where(ne(oauthStates.keyId, keyring.currentKeyId)).for("update");
    for (const state of states) {
      const draft = attempt(() => reencrypt(keyring, state.draft, oauthStateAad(state.stateHash)), `pending consent ${state.stateHash.slice(0, 12)}`);
      await tx.update(oauthStates).set({ draft, keyId: keyring.currentKeyId }).where(eq(oauthStates.stateHash, state.stateHash));
      report.pendingConsents++;
    }
    const variables = await tx
      .select({ id: teamVariables.id, teamId: teamVariables.teamId, secretValue: teamVariables.secretValue })
      .from(teamVariables)
      .where(sql`${teamVariables.secretValue} is not null and ${teamVariables.keyId} is distinct from ${keyring.currentKeyId}`)
      .for("update");
    for (const row of variables) {
      if (!row.secretValue) continue;
      const secretValue = attempt(() => reencrypt(keyring, row.secretValue as string, variableAad(row.teamId, row.id)), `variable ${row.id}`);
      await tx.update(teamVariables).set({ secretValue, keyId: keyring.currentKeyId }).where(eq(teamVariables.id, row.id));
      report.variables++;
    }
    const providers = await tx.select().from(ssoProviderConfigs).where(ne(ssoProviderConfigs.keyId, keyring.currentKeyId)).for("update");
    for (const row of providers) {
      const clientSecret = attempt(() => reencrypt(keyring, row.clientSecret, ssoProviderAad(row.id)), `SSO provider ${row.id}`);
      await tx.update(ssoProviderConfigs).set({ clientSecret, keyId: keyring.currentKeyId }).where(eq(ssoProviderConfigs.id, row.id));
      report.ssoProviders++;
    }
    const jars = await tx.select().from(builderCookieJars).where(ne(builderCookieJars.keyId, keyring.currentKeyId)).for("update");
    for (const row of jars) {
      const owner = and(
        eq(builderCookieJars.teamId, row.teamId),
        eq(builderCookieJars.userId, row.userId),
        eq(builderCookieJars.sessionId, row.sessionId),
      );
      let jar: string;
      try {
        jar = reencrypt(keyring, row.jar, builderJarAad(row));
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
        await tx.delete(builderCookieJars).where(owner);
        report.cookieJarsDropped++;
        continue;
      }
      await tx.update(builderCookieJars).set({ jar, keyId: keyring.currentKeyId }).where(owner);
      report.cookieJars++;
    }
    return report;
  });
}

/**
 * Key ids stored secrets use that the keyring lacks: the app must not start with any. Request-builder cookie
 * jars are left out on purpose: a jar lives an hour and one under a key no longer configured reads as empty
 * (rotation drops it), so it must not stop a start or a rotation.
 */
export async function findUnknownKeyIds(db: Database, keyring: Keyring): Promise<Array<{ keyId: string; rows: number }>> {
  const rows = await db.execute<{ key_id: string; n: number }>(
    sql`select key_id, count(*)::int as n from (select key_id from ${connections} union all select key_id from ${oauthStates} union all select key_id from ${oauthSigningKeys} union all select key_id from ${teamVariables} where key_id is not null union all select key_id from ${ssoProviderConfigs}) k group by key_id`,
  );
  const list = (Array.isArray(rows) ? rows : (rows as { rows: Array<{ key_id: string; n: number }> }).rows) as Array<{ key_id: string; n: number }>;
  return list.filter((r) => !keyring.keyIds.includes(r.key_id)).map((r) => ({ keyId: r.key_id, rows: Number(r.n) }));
}

/** How many stored values per key id the start-up check tries before it calls the key wrong. */
const SAMPLES_PER_KEY = 3;

/**
 * Configured key ids whose key cannot decrypt what is stored under them: the right id with the wrong bytes
 * (a regenerated or mistyped key). A few values per id are tried, so one damaged row does not block a start,
 * but a wrong key (which fails on every value) does.
 */
export async function findWrongKeys(db: Database, keyring: Keyring): Promise<Array<{ keyId: string; tried: number }>> {
  type Sample = { key_id: string; team_id: string | null; id: string; blob: string };
  // Connections carry a team id; pending consents (team_id null here) are bound to their state hash.
  const result = await db.execute<Sample>(sql`
    select key_id, team_id, id, blob from (
      select *, row_number() over (partition by key_id order by id) as n from (
        select key_id, team_id::text, id::text, credentials as blob from ${connections}
        union all
        select key_id, null, state_hash, draft from ${oauthStates}
      ) stored
    ) sampled where n <= ${SAMPLES_PER_KEY}`);
  const samples = (Array.isArray(result) ? result : (result as { rows: Sample[] }).rows) as Sample[];
  const byKey = new Map<string, { tried: number; opened: boolean }>();
  for (const sample of samples) {
    if (!keyring.keyIds.includes(sample.key_id)) continue; // findUnknownKeyIds reports these
    const entry = byKey.get(sample.key_id) ?? { tried: 0, opened: false };
    byKey.set(sample.key_id, entry);
    entry.tried++;
    const aad = sample.team_id ? connectionAad(sample.team_id, sample.id) : oauthStateAad(sample.id);
    try {
      decryptJson(keyring, sample.blob, aad);
      entry.opened = true;
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
    }
  }
  return [...byKey].filter(([, e]) => !e.opened).map(([keyId, e]) => ({ keyId, tried: e.tried }));
}

function attempt<T>(fn: () => T, what: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DecryptionError) throw new Error(`Cannot re-encrypt ${what}: ${err.message} No secret was changed.`);
    throw err;
  }
}
