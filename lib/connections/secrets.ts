import "server-only";
import type { ConnectionRow } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { decryptJson, encryptJson, parseKeyring, type Keyring } from "@/lib/crypto";
import type { ConnectionSecrets } from "./config";

/**
 * The keyring from the environment (built once per key configuration) and the envelopes of this package:
 * a connection's secrets are bound to `team:<id>:connection:<id>`, a pending consent to its state hash, so
 * a ciphertext copied into another row does not decrypt.
 */

let cached: { source: string; keyring: Keyring } | undefined;

export function getKeyring(): Keyring {
  const env = getEnv();
  const source = `${env.encryptionKey}|${env.encryptionKeysOld ?? ""}`;
  if (cached?.source !== source) cached = { source, keyring: parseKeyring(env.encryptionKey, env.encryptionKeysOld) };
  return cached.keyring;
}

export const connectionAad = (teamId: string, connectionId: string) => `team:${teamId}:connection:${connectionId}`;
export const oauthStateAad = (stateHash: string) => `oauth_state:${stateHash}`;

export function sealConnectionSecrets(teamId: string, connectionId: string, secrets: ConnectionSecrets) {
  const keyring = getKeyring();
  return { credentials: encryptJson(keyring, secrets, connectionAad(teamId, connectionId)), keyId: keyring.currentKeyId };
}

export function openConnectionSecrets(row: Pick<ConnectionRow, "teamId" | "id" | "credentials">): ConnectionSecrets {
  return decryptJson<ConnectionSecrets>(getKeyring(), row.credentials, connectionAad(row.teamId, row.id));
}
