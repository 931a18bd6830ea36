import "server-only";
import { splitList } from "./types/common";
import { COMMON_SECRET_FIELDS, type StoredSecrets } from "./types/descriptor";
import type { ConnectionInput, StoredConfig } from "./types/forms";
import { connectionType } from "./types/registry";

/**
 * Splits a validated form input into what is stored in the clear (config, listed and prefilled on edit)
 * and what is encrypted (secrets): the type's descriptor says which fields are secret.
 */

export type { StoredConfig } from "./types/forms";
export type ConnectionSecrets = StoredSecrets;

export function splitInput(input: ConnectionInput): { config: StoredConfig; secrets: ConnectionSecrets } {
  const { form } = connectionType(input.type);
  const secretFields: ReadonlyArray<string> = [...form.secretFields, ...COMMON_SECRET_FIELDS];
  const secrets: ConnectionSecrets = {};
  const rest: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (secretFields.includes(field)) {
      if (typeof value === "string" && value !== "") secrets[field] = value;
    } else rest[field] = value;
  }
  const withoutHosts = rest as Omit<StoredConfig, "allowedHosts">;
  return { config: { ...withoutHosts, allowedHosts: allowedHostsFor(input) } as StoredConfig, secrets };
}

/** Typed allowed domains, or by default the hosts (with non-default ports) of every URL the type sends credentials to. */
export function allowedHostsFor(input: ConnectionInput): string[] {
  const typed = splitList(input.allowedDomains).map((d) => d.toLowerCase());
  if (typed.length) return [...new Set(typed)];
  const { server } = connectionType(input.type);
  const urls = [input.testUrl, ...server.urls({ ...input, allowedHosts: [] } as StoredConfig)];
  // A URL with {{vars.NAME}} counts once filled in (connection-variables.ts), when the connection is used.
  const hosts = urls.filter((u) => u && !u.includes("{{") && URL.canParse(u)).map((u) => new URL(u).host.toLowerCase());
  return [...new Set(hosts)];
}

export function expiredStatusList(config: { expiredStatuses?: string }): number[] {
  return splitList(config.expiredStatuses ?? "401").map(Number);
}
