import "server-only";
import type { ClientCertificate, CredentialProvider } from "@/lib/http/types";
import type { ConnectionProxy } from "@/lib/http/proxy/proxy-plan";
import { clientCertificateCurlOptions } from "./client-certificate";
import type { AccessToken, ConnectionTypeServer, CurlAuth, StoredSecrets } from "./descriptor";

/**
 * The executor's CredentialProvider for a connection of any type: the type's server descriptor does the
 * type-specific work, this adds what every type shares. credential-provider.ts builds it from a stored row
 * (tokens through the refresh lease); tests build it from a config and secrets directly.
 */

export interface ConnectionProvider extends CredentialProvider {
  allowedHosts: string[];
  expiredStatuses: number[];
  /** Types with tokens: the current token, refreshed ahead of expiry or when forced. */
  accessToken(force?: boolean): Promise<AccessToken>;
  /** How Copy as cURL expresses the connection's scheme, and the options presenting its client certificate. */
  curlAuth(): CurlAuth & { tlsOptions: string[] };
}

export interface ProviderParts<Config extends { allowedHosts: string[] }> {
  config: Config;
  secrets: StoredSecrets;
  masker: CredentialProvider["masker"];
  expiredStatuses: number[];
  /** How this connection gets its token (tokens.ts in the app, the type's tokens.obtain in tests). */
  accessToken(force: boolean): Promise<AccessToken>;
  /** This connection's in-process memory (see ApplyContext.session). */
  session: Map<string, unknown>;
  clientCertificate?: ClientCertificate;
  /** The connection's trusted private CA (PEM), if any. */
  caCertificatePem?: string;
  /** The connection's proxy choice (connectionProxyOf). */
  proxy?: ConnectionProxy;
}

export function buildProvider<Config extends { allowedHosts: string[] }>(
  server: ConnectionTypeServer<Config>,
  parts: ProviderParts<Config>,
): ConnectionProvider {
  const { config, secrets, session } = parts;
  const accessToken = (force = false) => parts.accessToken(force);
  return {
    allowedHosts: config.allowedHosts ?? [],
    baseUrl: server.baseUrl?.(config),
    expiredStatuses: parts.expiredStatuses.length ? parts.expiredStatuses : [401],
    masker: parts.masker,
    credentialQueryParams: server.credentialQueryParams?.(config) ?? [],
    signsEachHop: server.signsEachHop,
    clientCertificate: parts.clientCertificate,
    caCertificatePem: parts.caCertificatePem,
    proxy: parts.proxy,
    accessToken,
    curlAuth: () => ({ ...server.curl(config, secrets), tlsOptions: clientCertificateCurlOptions(secrets) }),
    apply: (req, opts) => server.apply(req, { ...opts, config, secrets, session, accessToken }),
  };
}
