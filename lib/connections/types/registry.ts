import "server-only";
import { apiKeyServer } from "./api-key/server";
import { basicServer } from "./basic/server";
import type { ConnectionTypeServer, TokenSupport } from "./descriptor";
import { CONNECTION_TYPE_FORMS, type ConnectionType, type StoredConfig, type StoredConfigOf } from "./forms";
import { awsSigV4Server } from "./aws-sigv4/server";
import { customServer } from "./custom/server";
import { digestServer } from "./digest/server";
import { oauth1Server } from "./oauth1/server";
import { oauth2ClientCredentialsServer } from "./oauth2-client-credentials/server";
import { oauth2CodeServer } from "./oauth2-code/server";
import { oauth2JwtBearerServer } from "./oauth2-jwt-bearer/server";
import { oauth2PasswordServer } from "./oauth2-password/server";

/**
 * The server half of every connection type, keyed like CONNECTION_TYPE_FORMS: a type without its server
 * half, or a server half that does not fit its type's stored config, does not compile.
 */
export const CONNECTION_TYPE_SERVERS = {
  api_key: apiKeyServer,
  basic: basicServer,
  oauth2_code: oauth2CodeServer,
  oauth2_client_credentials: oauth2ClientCredentialsServer,
  oauth2_jwt_bearer: oauth2JwtBearerServer,
  digest: digestServer,
  oauth1: oauth1Server,
  aws_sigv4: awsSigV4Server,
  custom: customServer,
  oauth2_password: oauth2PasswordServer,
} satisfies { [T in ConnectionType]: ConnectionTypeServer<StoredConfigOf<T>> };

/** Both halves of a stored connection's type, typed for its config. */
export interface ConnectionTypeOf {
  type: ConnectionType;
  form: (typeof CONNECTION_TYPE_FORMS)[ConnectionType];
  server: ConnectionTypeServer<StoredConfig>;
}

export function connectionType(type: string): ConnectionTypeOf {
  if (!Object.hasOwn(CONNECTION_TYPE_SERVERS, type)) throw new Error(`Unknown connection type "${type}".`);
  const t = type as ConnectionType;
  // Each entry is checked against its own config above; a lookup by a runtime string can only be typed as the union.
  return { type: t, form: CONNECTION_TYPE_FORMS[t], server: CONNECTION_TYPE_SERVERS[t] as ConnectionTypeServer<StoredConfig> };
}

/** Created and reauthorized through the provider's consent in a browser (not by a form or the REST API alone). */
export function needsConsent(type: string): boolean {
  return connectionType(type).server.consent !== undefined;
}

/** The token support of a stored connection, when its type (and its settings) hold a token. */
export function tokensOf(config: StoredConfig): TokenSupport<StoredConfig> | undefined {
  const tokens = connectionType(config.type).server.tokens;
  return tokens && (tokens.applies?.(config) ?? true) ? tokens : undefined;
}
