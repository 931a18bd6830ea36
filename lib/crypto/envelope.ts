import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { keyBytes, type Keyring } from "./keyring";

/**
 * AES-256-GCM envelopes for secrets at rest: `v1.<keyId>.<base64url(iv | tag | ciphertext)>`.
 * The caller's associated data (the row identity, e.g. `team:<id>:connection:<id>`) is authenticated
 * but not stored, so a ciphertext copied into another row fails to decrypt.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type DecryptionFailure =
  /** Not a `v1.<keyId>.<data>` string, or the data is too short / not base64url. */
  | "malformed"
  /** Encrypted with a key id that is not configured (current or old). */
  | "unknown_key"
  /** Wrong key bytes, tampered data or different associated data: GCM cannot tell these apart. */
  | "authentication_failed";

export class DecryptionError extends Error {
  constructor(
    readonly reason: DecryptionFailure,
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
    this.name = "DecryptionError";
  }
}

export function encryptJson(keyring: Keyring, value: unknown, aad: string): string {
  assertAad(aad);
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("encryptJson: the value cannot be represented as JSON");
  const keyId = keyring.currentKeyId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", mustKey(keyring, keyId), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(keyId, aad));
  const ciphertext = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
  return `${VERSION}.${keyId}.${payload}`;
}

export function decryptJson<T = unknown>(keyring: Keyring, blob: string, aad: string): T {
  assertAad(aad);
  const { keyId, iv, tag, ciphertext } = parseBlob(blob);
  const key = keyBytes(keyring, keyId);
  if (!key) {
    throw new DecryptionError(
      "unknown_key",
      `This value was encrypted with key "${keyId}", which is not configured. Add it to PLUGBOARD_ENCRYPTION_KEYS_OLD to read it.`,
      keyId,
    );
  }
  let plaintext: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, aad));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError(
      "authentication_failed",
      `The encrypted value failed its integrity check with key "${keyId}": it was altered, belongs to another ` +
        "record, or the key's bytes changed.",
      keyId,
    );
  }
  return JSON.parse(plaintext) as T;
}

/** True when the value is not encrypted with the current key (rotation pending). */
export function needsReencryption(keyring: Keyring, blob: string): boolean {
  return parseBlob(blob).keyId !== keyring.currentKeyId;
}

/**
 * Moves a value to the current key. Always decrypts first, so a corrupt value is reported rather than
 * copied; a value already under the current key is returned unchanged.
 */
export function reencrypt(keyring: Keyring, blob: string, aad: string): string {
  const value = decryptJson(keyring, blob, aad);
  return needsReencryption(keyring, blob) ? encryptJson(keyring, value, aad) : blob;
}

function parseBlob(blob: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof blob === "string" ? blob.split(".") : [];
  const [version, keyId, payload] = parts;
  if (parts.length !== 3 || version !== VERSION || !keyId || !payload || !/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw new DecryptionError("malformed", `Not an encrypted value in the ${VERSION}.<keyId>.<data> format.`);
  }
  const bytes = Buffer.from(payload, "base64url");
  // Empty JSON is impossible ("" encodes as `""`), so a valid payload always has ciphertext bytes.
  if (bytes.length <= IV_BYTES + TAG_BYTES) {
    throw new DecryptionError("malformed", "The encrypted value is truncated.", keyId);
  }
  return {
    keyId,
    iv: bytes.subarray(0, IV_BYTES),
    tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
  };
}

// The version and key id are bound into the AAD too, so the stored header cannot be edited undetected.
function associatedData(keyId: string, aad: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${aad}`, "utf8");
}

function assertAad(aad: string): void {
  // An empty AAD would silently make ciphertexts portable between records.
  if (typeof aad !== "string" || aad.length === 0) {
    throw new TypeError("Associated data (the record identity, e.g. team:<id>:connection:<id>) is required");
  }
}

function mustKey(keyring: Keyring, keyId: string): Buffer {
  const key = keyBytes(keyring, keyId);
  if (!key) throw new Error(`Key "${keyId}" is missing from the keyring`);
  return key;
}
