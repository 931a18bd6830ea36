import { getDb } from "@/db/client";
import { findUnknownKeyIds, getKeyring } from "@/lib/connections";

/**
 * Refuses to start when the encryption key is malformed (parseKeyring throws KeyringConfigError with the
 * variable and the expected format) or when stored secrets use a key id that is not configured: starting
 * anyway would fail later, one request at a time, with undecryptable credentials.
 */
export async function checkEncryptionKeys(): Promise<void> {
  const keyring = getKeyring();
  const unknown = await findUnknownKeyIds(await getDb(), keyring);
  if (unknown.length) {
    const list = unknown.map((u) => `"${u.keyId}" (${u.rows} stored values)`).join(", ");
    throw new KeyCheckError(
      `Stored secrets were encrypted with key ${list}, which is not configured. ` +
        `Set PLUGBOARD_ENCRYPTION_KEY or add the key to PLUGBOARD_ENCRYPTION_KEYS_OLD (configured: ${keyring.keyIds.join(", ")}).`,
    );
  }
}

export class KeyCheckError extends Error {}
