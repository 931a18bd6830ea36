import "server-only";
import { randomBytes } from "node:crypto";

/**
 * Encryption keys from configuration. The current key encrypts; older keys stay readable so stored
 * values can be re-encrypted after a rotation instead of becoming unreadable.
 */

export const KEY_BYTES = 32;

// Key ids end up inside stored blobs (`v1.<keyId>.<data>`), so they cannot contain the `.` separator.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
// Buffer.from(…, "base64") silently skips invalid characters, so the alphabet is checked first.
const BASE64 = /^(?:[A-Za-z0-9+/]{43}=?|[A-Za-z0-9_-]{43})$/;

const FORMAT_HINT = "<keyId>:<base64 32-byte key>, e.g. k1:…; generate one with `openssl rand -base64 32`";

export class KeyringConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}. It must be ${FORMAT_HINT}.`);
    this.name = "KeyringConfigError";
  }
}

// Key bytes live here, not on the Keyring object, so logging or serialising a keyring cannot leak
// them and only this folder can read them (keyBytes is not re-exported from index.ts).
const secretKeys = new WeakMap<Keyring, ReadonlyMap<string, Buffer>>();

export class Keyring {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];

  constructor(currentKeyId: string, keys: ReadonlyMap<string, Buffer>) {
    if (!keys.has(currentKeyId)) throw new Error("the current key must be part of the keyring");
    this.currentKeyId = currentKeyId;
    this.keyIds = Object.freeze([...keys.keys()]);
    secretKeys.set(this, new Map(keys));
  }
}

export function keyBytes(keyring: Keyring, keyId: string): Buffer | undefined {
  return secretKeys.get(keyring)?.get(keyId);
}

/**
 * @param current value of PLUGBOARD_ENCRYPTION_KEY
 * @param old value of PLUGBOARD_ENCRYPTION_KEYS_OLD (comma-separated), used for decryption only
 */
export function parseKeyring(current: string | undefined, old?: string): Keyring {
  const CURRENT = "PLUGBOARD_ENCRYPTION_KEY";
  const OLD = "PLUGBOARD_ENCRYPTION_KEYS_OLD";
  if (!current?.trim()) throw new KeyringConfigError(CURRENT, "is not set");
  const cur = parseEntry(current.trim(), CURRENT);
  const keys = new Map<string, Buffer>([[cur.id, cur.key]]);

  const oldEntries = (old ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const [i, raw] of oldEntries.entries()) {
    const entry = parseEntry(raw, `${OLD} (entry ${i + 1})`);
    const existing = keys.get(entry.id);
    if (existing && !existing.equals(entry.key)) {
      // Two different keys under one id would make it ambiguous which one decrypts a stored value.
      throw new KeyringConfigError(OLD, `uses key id "${entry.id}" for two different keys; give every key its own id`);
    }
    keys.set(entry.id, entry.key);
  }
  return new Keyring(cur.id, keys);
}

/** A new `<keyId>:<base64>` value for PLUGBOARD_ENCRYPTION_KEY (first run, rotation). */
export function generateKey(keyId: string): string {
  if (!KEY_ID.test(keyId)) {
    throw new Error(`Key id "${keyId}" must be 1-32 characters of letters, digits, "_" or "-"`);
  }
  return `${keyId}:${randomBytes(KEY_BYTES).toString("base64")}`;
}

function parseEntry(raw: string, variable: string): { id: string; key: Buffer } {
  const sep = raw.indexOf(":");
  if (sep < 0) throw new KeyringConfigError(variable, "has no key id (missing `:`)");
  const id = raw.slice(0, sep);
  const b64 = raw.slice(sep + 1);
  if (!KEY_ID.test(id)) {
    throw new KeyringConfigError(variable, `has an invalid key id "${id}" (use 1-32 letters, digits, "_" or "-")`);
  }
  if (!BASE64.test(b64)) {
    throw new KeyringConfigError(variable, `key "${id}" is not the base64 encoding of exactly ${KEY_BYTES} bytes`);
  }
  const key = Buffer.from(b64, b64.includes("-") || b64.includes("_") ? "base64url" : "base64");
  if (key.length !== KEY_BYTES) {
    throw new KeyringConfigError(variable, `key "${id}" decodes to ${key.length} bytes instead of ${KEY_BYTES}`);
  }
  return { id, key };
}
