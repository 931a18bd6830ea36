import "server-only";
import type { Database } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { HttpRequestError } from "@/lib/http/errors";
import type { CredentialProvider } from "@/lib/http/types";
import { onPremBaseUrl, type StoredConfig, type StoredConfigOf } from "./config";
import { loadConnectionRow } from "./connections";
import { ConnectionTokenError } from "./errors";
import type { ConnectionType } from "./schemas";
import { basicCredentials, openConnection } from "./secrets";
import { getAccessToken, type AccessToken } from "./tokens";

/**
 * A connection's credentials for lib/http's executor. The request builder and flows call
 * getCredentialProvider(db, ctx, connectionId) and pass `provider` to executeHttpRequest: it applies the
 * credentials, refreshes OAuth tokens (once per expiry, across instances), limits where they are sent
 * (allowedHosts) and brings the masker bound to its secrets when they were decrypted.
 */

export interface ConnectionCredentials {
  connection: { id: string; name: string; type: ConnectionType };
  provider: ConnectionProvider;
}

export interface ConnectionProvider extends CredentialProvider {
  allowedHosts: string[];
  expiredStatuses: number[];
  /** OAuth types: the current access token, refreshed ahead of expiry (see refreshAheadMs in tokens.ts) or when forced. */
  accessToken(force?: boolean): Promise<AccessToken>;
}

type Form<T extends ConnectionType> = StoredConfigOf<T>;

export async function getCredentialProvider(db: Database, ctx: TeamContext, connectionId: string): Promise<ConnectionCredentials> {
  const row = await loadConnectionRow(db, ctx, connectionId);
  const type = row.type as ConnectionType;
  const config = row.config as StoredConfig;
  const { secrets, masker } = openConnection(row);
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

  const provider: ConnectionProvider = {
    allowedHosts: config.allowedHosts ?? [],
    baseUrl: type === "api_key" || type === "basic" ? onPremBaseUrl((config as Form<"basic">).host, (config as Form<"basic">).port) : undefined,
    expiredStatuses: row.expiredStatuses?.length ? row.expiredStatuses : [401],
    masker,
    credentialQueryParams: credentialQueryParams(type, config),
    accessToken,
    async apply({ url, headers }, { forceRefresh }) {
      switch (type) {
        case "api_key": {
          const c = config as Form<"api_key">;
          const key = secrets.apiKey ?? "";
          if (c.placement === "query") url.searchParams.set(c.queryParamName ?? "api_key", key);
          else headers.set(c.headerKey || "Authorization", c.scheme === "None" ? key : `${c.scheme ?? "Bearer"} ${key}`);
          return;
        }
        case "basic": {
          const c = config as Form<"basic">;
          headers.set("Authorization", `Basic ${basicCredentials(c.username, secrets.password ?? "")}`);
          return;
        }
        case "oauth2_code": {
          const token = await accessToken(forceRefresh);
          headers.set("Authorization", `Bearer ${token.accessToken}`);
          return;
        }
        case "oauth2_client_credentials": {
          const c = config as Form<"oauth2_client_credentials">;
          const token = await accessToken(forceRefresh);
          const placement = c.tokenPlacement ?? "header";
          if (placement !== "query") headers.set("Authorization", `${c.headerTokenName || "Bearer"} ${token.accessToken}`);
          if (placement !== "header") url.searchParams.set(c.queryParamName || "access_token", token.accessToken);
          return;
        }
      }
    },
  };
  return { connection: { id: row.id, name: row.name, type }, provider };
}

/** The query parameters apply() may put a credential into. */
function credentialQueryParams(type: ConnectionType, config: StoredConfig): string[] {
  if (type === "api_key" && (config as Form<"api_key">).placement === "query") return [(config as Form<"api_key">).queryParamName || "api_key"];
  if (type === "oauth2_client_credentials" && (config as Form<"oauth2_client_credentials">).tokenPlacement !== "header") {
    return [(config as Form<"oauth2_client_credentials">).queryParamName || "access_token"];
  }
  return [];
}
