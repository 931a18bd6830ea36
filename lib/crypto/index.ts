import "server-only";

export { DecryptionError, decryptJson, encryptJson, needsReencryption, reencrypt } from "./envelope";
export type { DecryptionFailure } from "./envelope";
export { generateKey, Keyring, KeyringConfigError, parseKeyring } from "./keyring";
export { constantTimeEqual, randomToken, sha256Hex } from "./tokens";
