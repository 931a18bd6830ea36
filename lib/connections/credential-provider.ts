import "server-only";
import { ServiceError } from "@/lib/errors/service-error";
import type { Database } from "@/db";
import type { ConnectionRow } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { HttpRequestError } from "@/lib/http/errors";
import type { StoredConfig } from "./config";
import { loadConnectionRow } from "./connections";
import { resolveConnectionConfig, variablesForConnection } from "./connection-variables";
import { ConnectionTokenError } from "./errors";
import type { ConnectionType } from "./schemas";
import { openConnection } from "./secrets";
import { getAccessToken, type AccessToken } from "./tokens";
import { clientCertificateOf } from "./types/client-certificate";
import { connectionProxyOf } from "./types/proxy";
import { buildProvider, type ConnectionProvider } from "./types/provider";
import { connectionType } from "./types/registry";
import { BoundedMap } from "@/lib/memory/bounded-map";

/**
 * A connection's credentials for lib/http's executor. The request builder and flows call
 * getCredentialProvider(db, ctx, connectionId) and pass `provider` to executeHttpRequest: its type's
 * descriptor applies the credentials, tokens are refreshed once per expiry across instances (tokens.ts),
 * requests are limited to the allowed hosts, and the masker bound to its secrets comes along.
 */

export type { ConnectionProvider } from "./types/provider";

export interface ConnectionCredentials {
  connection: { id: string; name: string; type: ConnectionType };
  provider: ConnectionProvider;
  /** Its stored settings with any {{vars.NAME}} filled in (what Verify checks). */
  config: StoredConfig;
}

export async function getCredentialProvider(db: Database, ctx: TeamContext, connectionId: string): Promise<ConnectionCredentials> {
  const row = await loadConnectionRow(db, ctx, connectionId);
  // Imported without its secrets (lib/bundle): sending it would go out without credentials.
  if (row.status === "needs_credentials") {
    throw new ServiceError(`Connection “${row.name}” was imported without its credentials: open it and enter them.`, "invalid", {
      connectionId: "This connection needs its credentials.",
    });
  }
  const variables = await variablesForConnection(db, row.teamId, row.config as StoredConfig);
  const resolved = variables ? resolveConnectionConfig(row.name, row.config as StoredConfig, variables) : undefined;
  return {
    connection: { id: row.id, name: row.name, type: row.type as ConnectionType },
    provider: providerForRow(db, row, resolved),
    config: resolved?.config ?? (row.config as StoredConfig),
  };
}

/**
 * The provider of a row already loaded for its team; `resolved`: its settings with the team's variables
 * filled in (resolveConnectionConfig), whose secret values join its masker.
 */
export function providerForRow(db: Database, row: ConnectionRow, resolved?: { config: StoredConfig; secrets: string[] }): ConnectionProvider {
  const { server } = connectionType(row.type);
  const config = resolved?.config ?? (row.config as StoredConfig);
  const { secrets, masker } = openConnection(row);
  for (const value of resolved?.secrets ?? []) masker.learn(value);
  let lastToken: string | undefined = secrets.accessToken;

  const accessToken = async (force = false): Promise<AccessToken> => {
    try {
      const token = await getAccessToken(db, row.teamId, row.id, { force, staleToken: force ? lastToken : undefined });
      lastToken = token.accessToken;
      masker.learn(token.accessToken);
      return token;
    } catch (err) {
      if (err instanceof ConnectionTokenError) {
        // A transient failure may succeed when the executor retries; the others will not.
        throw new HttpRequestError(err.reason === "transient" ? "network" : "invalid_request", err.message);
      }
      throw err;
    }
  };

  return buildProvider(server, {
    config,
    secrets,
    masker,
    expiredStatuses: row.expiredStatuses ?? [],
    accessToken,
    session: connectionSession(row),
    clientCertificate: clientCertificateOf(secrets),
    caCertificatePem: config.tlsCaCertificate || undefined,
    proxy: connectionProxyOf(config, secrets),
  });
}

// Per-connection memory of this process (a Digest nonce and its count). Keyed by the token version, which
// every edit and reauthorization increments, so new credentials start afresh. Bounded: oldest dropped first.
const MAX_SESSIONS = 1000;
const sessions = new BoundedMap<string, Map<string, unknown>>(MAX_SESSIONS);

function connectionSession(row: Pick<ConnectionRow, "id" | "tokenVersion">): Map<string, unknown> {
  const key = `${row.id}:${row.tokenVersion}`;
  let session = sessions.get(key);
  if (!session) {
    session = new Map();
    sessions.set(key, session);
  }
  return session;
}
