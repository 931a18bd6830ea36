import { getDb } from "@/db/client";
import { findUnknownKeyIds, findWrongKeys } from "./rotate-keys";
import { getKeyring } from "./secrets";

/**
 * Refuses to start when the encryption key is malformed (parseKeyring throws KeyringConfigError with the
 * variable and the expected format), when stored secrets use a key id that is not configured, or when a
 * configured key cannot decrypt what is stored under its id (the right id with other bytes): starting anyway
 * would fail later, one request at a time, with undecryptable credentials. Messages name key ids and
 * variables, never key material.
 */
export async function checkEncryptionKeys(): Promise<void> {
  const keyring = getKeyring();
  const db = await getDb();
  const unknown = await findUnknownKeyIds(db, keyring);
  if (unknown.length) {
    const list = unknown.map((u) => `"${u.keyId}" (${u.rows} stored values)`).join(", ");
    throw new KeyCheckError(
      `Stored secrets were encrypted with key ${list}, which is not configured. ` +
        `Set PLUGBOARD_ENCRYPTION_KEY or add the key to PLUGBOARD_ENCRYPTION_KEYS_OLD (configured: ${keyring.keyIds.join(", ")}).`,
    );
  }
  const wrong = await findWrongKeys(db, keyring);
  if (wrong.length) {
    const list = wrong
      .map(
        (w) =>
          `"${w.keyId}" (in ${w.keyId === keyring.currentKeyId ? "PLUGBOARD_ENCRYPTION_KEY" : "PLUGBOARD_ENCRYPTION_KEYS_OLD"}; ${w.tried} stored values tried)`,
      )
      .join(", ");
    throw new KeyCheckError(
      `The configured key ${list} cannot decrypt the secrets stored under that key id: its bytes are not the ones they were encrypted with. ` +
        "Restore the key that was in use when they were saved (from your backup of the environment or of the data folder's secrets.json). " +
        "A new key needs a new key id, with the old key kept in PLUGBOARD_ENCRYPTION_KEYS_OLD until `npm run keys:rotate` has run.",
    );
  }
}

export class KeyCheckError extends Error {}
