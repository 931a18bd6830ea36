import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNotNull, isNull, ne, notExists, or, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Database, Executor } from "@/db";
import { oauthSigningKeys, oauthTokens, type OAuthSigningKeyRow } from "@/db/schema";
import { getKeyring } from "@/lib/connections";
import { decryptJson, encryptJson, reencrypt, type Keyring } from "@/lib/crypto";

/**
 * The keys JWT access tokens (RFC 9068) are signed with. RS256, which RFC 9068 §4 requires every party
 * to support. The private key is stored as an encrypted JWK (the connections' AES-256-GCM envelope, bound
 * to the key's kid); the public key is published at /oauth2/jwks for as long as a token it signed is live.
 */
export const SIGNING_ALG = "RS256";

const privateKeyAad = (kid: string) => `oauth_signing_key:${kid}`;

// Imported private keys by kid: a key's bytes never change (re-encryption only rewraps them), and there
// are only ever a few keys, so the map stays small.
const imported = new Map<string, CryptoKey>();

async function privateKeyOf(row: OAuthSigningKeyRow): Promise<CryptoKey> {
  const known = imported.get(row.kid);
  if (known) return known;
  const jwk = decryptJson<JWK>(getKeyring(), row.privateKey, privateKeyAad(row.kid));
  const key = (await importJWK(jwk, row.alg)) as CryptoKey;
  imported.set(row.kid, key);
  return key;
}

async function insertSigningKey(tx: Executor, keyring: Keyring): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const kid = randomBytes(12).toString("base64url");
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  await tx
    .insert(oauthSigningKeys)
    .values({
      kid,
      alg: SIGNING_ALG,
      publicJwk,
      privateKey: encryptJson(keyring, await exportJWK(privateKey), privateKeyAad(kid)),
      keyId: keyring.currentKeyId,
    })
    // One active key at a time (a partial unique index): a concurrent first use keeps the other's key.
    .onConflictDoNothing();
}

const activeKey = (db: Executor) =>
  db.select().from(oauthSigningKeys).where(isNull(oauthSigningKeys.retiredAt)).orderBy(desc(oauthSigningKeys.createdAt)).limit(1);

/** The key new tokens are signed with; made on first use. */
export async function currentSigningKey(db: Executor): Promise<{ kid: string; key: CryptoKey }> {
  let [row] = await activeKey(db);
  if (!row) {
    await insertSigningKey(db, getKeyring());
    [row] = await activeKey(db);
  }
  return { kid: row.kid, key: await privateKeyOf(row) };
}

/** A retired key stays published while a token it signed has not expired. */
const stillNeeded = or(
  isNull(oauthSigningKeys.retiredAt),
  sql`exists (select 1 from ${oauthTokens} where ${oauthTokens.signingKid} = ${oauthSigningKeys.kid} and ${oauthTokens.expiresAt} > now())`,
);

/** The JWK Set served at /oauth2/jwks: public keys only. */
export async function publishedSigningKeys(db: Executor): Promise<JWK[]> {
  const rows = await db
    .select({ publicJwk: oauthSigningKeys.publicJwk })
    .from(oauthSigningKeys)
    .where(stillNeeded)
    .orderBy(desc(oauthSigningKeys.createdAt));
  return rows.map((r) => r.publicJwk);
}

export type SigningKeyRotation = { newKid: string; retired: number; removed: number; reencrypted: number };

/**
 * Part of `npm run keys:rotate`: a new signing key takes over at once, the old one is retired (still
 * published until its tokens expire), retired keys no live token needs are deleted, and the private keys
 * kept are re-encrypted under the current encryption key. All in one transaction.
 */
export async function rotateSigningKeys(db: Database, keyring: Keyring): Promise<SigningKeyRotation> {
  return db.transaction(async (tx) => {
    const retired = await tx
      .update(oauthSigningKeys)
      .set({ retiredAt: new Date() })
      .where(isNull(oauthSigningKeys.retiredAt))
      .returning({ kid: oauthSigningKeys.kid });
    await insertSigningKey(tx, keyring);
    const [created] = await activeKey(tx);
    const removed = await tx
      .delete(oauthSigningKeys)
      .where(
        and(
          isNotNull(oauthSigningKeys.retiredAt),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(oauthTokens)
              .where(and(eq(oauthTokens.signingKid, oauthSigningKeys.kid), gt(oauthTokens.expiresAt, new Date()))),
          ),
        ),
      )
      .returning({ kid: oauthSigningKeys.kid });
    const stale = await tx.select().from(oauthSigningKeys).where(ne(oauthSigningKeys.keyId, keyring.currentKeyId)).for("update");
    for (const row of stale) {
      const privateKey = reencrypt(keyring, row.privateKey, privateKeyAad(row.kid));
      await tx.update(oauthSigningKeys).set({ privateKey, keyId: keyring.currentKeyId }).where(eq(oauthSigningKeys.kid, row.kid));
    }
    return { newKid: created.kid, retired: retired.length, removed: removed.length, reencrypted: stale.length };
  });
}
