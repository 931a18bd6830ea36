import "server-only";
import type { ConnectionRow } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { decryptJson, encryptJson, parseKeyring, type Keyring } from "@/lib/crypto";
import { createMasker, type Masker } from "@/lib/http/mask";
import { pemBodyLines } from "@/lib/oauth-client";
import type { ConnectionSecrets, StoredConfig } from "./config";
import { connectionType } from "./types/registry";

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

/** A connection's masker, which also hides tokens obtained after it was made. */
export interface ConnectionMasker extends Masker {
  learn(value: string | undefined): void;
}

/**
 * Decrypts a connection's secrets together with the masker every text about the connection passes through:
 * provider answers (OAuth errors, Test URL bodies), stored token events and verify results, requests shown
 * or kept in history. Binding the two here means whoever holds the secrets holds the way to hide them.
 */
export function openConnection(row: Pick<ConnectionRow, "teamId" | "id" | "credentials" | "config">): {
  secrets: ConnectionSecrets;
  masker: ConnectionMasker;
} {
  const secrets = openConnectionSecrets(row);
  return { secrets, masker: connectionMasker(row.config as StoredConfig, secrets) };
}

export function connectionMasker(config: StoredConfig, secrets: ConnectionSecrets): ConnectionMasker {
  const known = new Set(secretValues(config, secrets));
  return {
    ...createMasker(() => known),
    learn(value) {
      if (value) known.add(value);
    },
  };
}

/**
 * Everything that would give the credentials away if shown: every secret the connection holds (its type's
 * secret fields, the client certificate's and tokens), each base64 line of those that are PEM text (a key
 * quoted with other line endings, or line by line, is found by its lines), and the forms its type derives
 * from them (the Basic pair in clear and encoded).
 */
function secretValues(config: StoredConfig, secrets: ConnectionSecrets): string[] {
  // tokenType ("bearer") describes a token; it is no secret, and masking the word would garble every text.
  const held = Object.entries(secrets)
    .filter(([field, value]) => field !== "tokenType" && typeof value === "string" && value !== "")
    .map(([, value]) => value as string);
  const pemLines = held.filter((value) => PEM_BLOCK.test(value)).flatMap(pemBase64Lines);
  const derived = connectionType(config.type).server.derivedSecrets?.(config, secrets) ?? [];
  return [...held, ...pemLines, ...derived.filter(Boolean)];
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;

/** A PEM's base64 lines; its encapsulated headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) are no secret. */
function pemBase64Lines(pem: string): string[] {
  return pemBodyLines(pem).filter((line) => !line.includes(":"));
}
