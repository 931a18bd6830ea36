// Test-only: a connection of one type built from form input, without the database (tokens in memory).
import type { z } from "zod";
import { createMasker, executeHttpRequest } from "@/lib/http";
import { loopbackAllowed } from "@/lib/http/testing/executor-helpers";
import type { AnyConnectionTypeForm, AccessToken, ConnectionTypeServer, StoredSecrets } from "../types/descriptor";
import { buildProvider, type ConnectionProvider } from "../types/provider";

export interface TypeConnection<Config> {
  provider: ConnectionProvider;
  config: Config;
  secrets: StoredSecrets;
  /** How many times the type's tokens.obtain ran. */
  obtained(): number;
}

/**
 * Parses `input` with the type's schema, splits off its secret fields as the app does, and builds the provider
 * whose access tokens come from the type's tokens.obtain (http:// allowed: the peers run on loopback).
 */
export function typeConnection<F extends AnyConnectionTypeForm, Config extends { allowedHosts: string[] }>(
  form: F,
  server: ConnectionTypeServer<Config>,
  input: z.input<F["schema"]>,
): TypeConnection<Config> {
  const parsed: Record<string, unknown> = form.schema.parse(input);
  const secrets: StoredSecrets = {};
  const rest: Record<string, unknown> = { ...parsed };
  for (const field of form.secretFields as readonly string[]) {
    secrets[field] = typeof rest[field] === "string" && rest[field] !== "" ? (rest[field] as string) : undefined;
    delete rest[field];
  }
  // The config as stored: the parsed input without its secrets, sent only to the hosts of the type's URLs.
  const config = { ...rest, allowedHosts: [] } as unknown as Config;
  config.allowedHosts = server.urls(config).map((u) => new URL(u).host);
  let token: AccessToken | undefined;
  let obtained = 0;
  const masker = createMasker(() => [
    ...Object.values(secrets).filter((s): s is string => !!s),
    ...(server.derivedSecrets?.(config, secrets) ?? []),
    ...(token ? [token.accessToken] : []),
  ]);
  const tokens = server.tokens;
  const provider = buildProvider(server, {
    config,
    secrets,
    masker,
    expiredStatuses: [401],
    session: new Map(),
    accessToken: async (force) => {
      if (!tokens) throw new Error("this type holds no tokens");
      if (!token || force) {
        obtained++;
        const set = await tokens.obtain({
          config,
          secrets,
          oauth: { allowInsecureRequests: true, masker },
          send: (spec) => executeHttpRequest(spec, { allowedTargets: loopbackAllowed }),
        });
        token = { accessToken: set.accessToken, tokenType: set.tokenType, expiresAt: set.expiresAt ?? null };
      }
      return token;
    },
  });
  return { provider, config, secrets, obtained: () => obtained };
}
