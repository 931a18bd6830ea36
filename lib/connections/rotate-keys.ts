import "server-only";
import { eq, ne, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { connections, oauthStates } from "@/db/schema";
import { DecryptionError, reencrypt, type Keyring } from "@/lib/crypto";
import { connectionAad, oauthStateAad } from "./secrets";

/**
 * Key rotation and the start-up key check. Rotation re-encrypts every stored secret under the current key
 * in one transaction: if any value cannot be decrypted, nothing is changed and the error names the row.
 */

export interface RotationReport {
  connections: number;
  pendingConsents: number;
  alreadyCurrent: number;
}

export async function rotateStoredSecrets(db: Database, keyring: Keyring): Promise<RotationReport> {
  return db.transaction(async (tx) => {
    const report: RotationReport = { connections: 0, pendingConsents: 0, alreadyCurrent: 0 };
    const rows = await tx.select({ id: connections.id, teamId: connections.teamId, credentials: connections.credentials, keyId: connections.keyId }).from(connections).for("update");
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
    return report;
  });
}

/** Key ids stored secrets use that the keyring lacks: the app must not start with any. */
export async function findUnknownKeyIds(db: Database, keyring: Keyring): Promise<Array<{ keyId: string; rows: number }>> {
  const rows = await db.execute<{ key_id: string; n: number }>(
    sql`select key_id, count(*)::int as n from (select key_id from ${connections} union all select key_id from ${oauthStates}) k group by key_id`,
  );
  const list = (Array.isArray(rows) ? rows : (rows as { rows: Array<{ key_id: string; n: number }> }).rows) as Array<{ key_id: string; n: number }>;
  return list.filter((r) => !keyring.keyIds.includes(r.key_id)).map((r) => ({ keyId: r.key_id, rows: Number(r.n) }));
}

function attempt<T>(fn: () => T, what: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DecryptionError) throw new Error(`Cannot re-encrypt ${what}: ${err.message} No secret was changed.`);
    throw err;
  }
}
