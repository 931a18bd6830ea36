import { closeDb, getDb } from "@/db/client";
import { EnvError } from "@/lib/config/env";
import { findUnknownKeyIds, getKeyring, rotateStoredSecrets } from "@/lib/connections";
import { KeyringConfigError } from "@/lib/crypto";
import { rotateSigningKeys } from "@/lib/oauth-server/signing-keys";

/**
 * `npm run keys:rotate`: re-encrypts every stored secret under PLUGBOARD_ENCRYPTION_KEY. Rotate by making
 * the new key current and moving the old one to PLUGBOARD_ENCRYPTION_KEYS_OLD, run this, then drop the old
 * key. All or nothing: if one value cannot be decrypted, nothing changes.
 */
async function main() {
  const keyring = getKeyring();
  const db = await getDb();
  const unknown = await findUnknownKeyIds(db, keyring);
  if (unknown.length) {
    const list = unknown.map((u) => `"${u.keyId}" (${u.rows} values)`).join(", ");
    throw new Error(`Stored secrets use keys that are not configured: ${list}. Add them to PLUGBOARD_ENCRYPTION_KEYS_OLD and run again.`);
  }
  const report = await rotateStoredSecrets(db, keyring);
  console.log(
    `[plugboard] re-encrypted ${report.connections} connection(s), ${report.variables} secret variable(s), ${report.ssoProviders} SSO provider secret(s), ${report.pendingConsents} pending consent(s) and ${report.cookieJars} request-builder cookie jar(s) under key "${keyring.currentKeyId}"; ` +
      (report.cookieJarsDropped ? `${report.cookieJarsDropped} cookie jar(s) that no configured key opens were deleted (they read as empty); ` : "") +
      `${report.alreadyCurrent} already used it. Old keys can now be removed from PLUGBOARD_ENCRYPTION_KEYS_OLD.`,
  );
  // The JWT access token signing key turns over too; the old one stays published until its tokens expire.
  const signing = await rotateSigningKeys(db, keyring);
  console.log(
    `[plugboard] new JWT signing key "${signing.newKid}"; ${signing.retired} retired (published until their tokens expire), ` +
      `${signing.removed} no longer needed removed, ${signing.reencrypted} re-encrypted.`,
  );
}

try {
  await main();
} catch (error) {
  const known = error instanceof EnvError || error instanceof KeyringConfigError;
  console.error(`[plugboard] key rotation failed: ${known ? error.message : error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
