import type { AuthorizationCodeConfigInput, ClientCredentialsConfigInput } from "@/lib/oauth-client";
import { parsePairs, splitList, type ConnectionFormDefaults, type ConnectionInput, type ConnectionType } from "./schemas";

/**
 * Splits a validated form input into what is stored in the clear (config, listed and prefilled on edit)
 * and what is encrypted (secrets), and builds the OAuth client settings from the two.
 */

/** The form input without its secret field, plus the hosts the credentials may be sent to. */
export type StoredConfig = ConnectionFormDefaults & {
  /** Effective allowed hosts: typed ones, else the hosts of the form's URLs. */
  allowedHosts: string[];
};
export type StoredConfigOf<T extends ConnectionType> = Extract<StoredConfig, { type: T }>;

export type ConnectionSecrets = {
  apiKey?: string;
  password?: string;
  clientSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  tokenType?: string;
};

const SECRET_FIELDS = ["apiKey", "password", "clientSecret"] as const;

export function splitInput(input: ConnectionInput): { config: StoredConfig; secrets: ConnectionSecrets } {
  const secrets: ConnectionSecrets = {};
  const rest: Record<string, unknown> = { ...input };
  for (const field of SECRET_FIELDS) {
    if (field in rest) {
      secrets[field] = rest[field] as string;
      delete rest[field];
    }
  }
  const config = { ...rest, allowedHosts: allowedHostsFor(input) } as StoredConfig;
  return { config, secrets };
}

/** Typed allowed domains, or by default the hosts (with non-default ports) of every URL in the form. */
export function allowedHostsFor(input: ConnectionInput): string[] {
  const typed = splitList(input.allowedDomains).map((d) => d.toLowerCase());
  if (typed.length) return [...new Set(typed)];
  const urls: string[] = [input.testUrl];
  if (input.type === "oauth2_code") urls.push(input.authorizeUrl, input.tokenUrl, input.refreshUrl);
  if (input.type === "oauth2_client_credentials") urls.push(input.tokenUrl);
  const hosts = urls.filter((u) => u && URL.canParse(u)).map((u) => new URL(u).host.toLowerCase());
  if ((input.type === "api_key" || input.type === "basic") && input.host) {
    const base = onPremBaseUrl(input.host, input.port);
    if (base) hosts.push(new URL(base).host.toLowerCase());
  }
  return [...new Set(hosts)];
}

/** The on-premises base URL: https:// unless the host says http://. */
export function onPremBaseUrl(host: string | undefined, port: string | undefined): string | undefined {
  if (!host) return undefined;
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  const url = new URL(withScheme);
  if (port) url.port = port;
  return url.origin;
}

export function expiredStatusList(config: { expiredStatuses?: string }): number[] {
  return splitList(config.expiredStatuses ?? "401").map(Number);
}

const SEPARATORS = { space: " ", comma: ",", plus: "+" } as const;

export function authorizationCodeSettings(config: StoredConfig, secrets: ConnectionSecrets): AuthorizationCodeConfigInput {
  if (config.type !== "oauth2_code") throw new Error("not an authorization-code connection");
  const c = config;
  return {
    authorizeUrl: c.authorizeUrl,
    tokenUrl: c.tokenUrl,
    refreshUrl: c.refreshUrl || undefined,
    scopes: splitList(c.scopes ?? ""),
    scopeSeparator: SEPARATORS[c.scopeSeparator ?? "space"],
    clientId: c.clientId,
    clientSecret: secrets.clientSecret ?? "",
    clientAuth: c.clientAuth,
    usePkce: c.usePkce ?? true,
    extraAuthorizeParams: Object.fromEntries(pairsOf(c.extraAuthorizeParams, "=")),
    tokenRequestHeaders: Object.fromEntries(pairsOf(c.tokenHeaders, ":")),
    issuer: c.issuer || undefined,
    issParameterSupported: c.issuer ? c.issParameterSupported : undefined,
  };
}

export function clientCredentialsSettings(config: StoredConfig, secrets: ConnectionSecrets): ClientCredentialsConfigInput {
  if (config.type !== "oauth2_client_credentials") throw new Error("not a client-credentials connection");
  const c = config;
  return {
    tokenUrl: c.tokenUrl,
    scopes: splitList(c.scopes ?? ""),
    scopeSeparator: SEPARATORS[c.scopeSeparator ?? "space"],
    clientId: c.clientId,
    clientSecret: secrets.clientSecret ?? "",
    clientAuth: c.clientAuth,
    extraTokenParams: Object.fromEntries(pairsOf(c.tokenParams, "=")),
    tokenRequestHeaders: Object.fromEntries(pairsOf(c.tokenHeaders, ":")),
  };
}

/** Every URL of the config the OAuth client talks to (for the http:// policy). */
export function oauthEndpoints(config: StoredConfig): string[] {
  const c = config as Partial<Record<"authorizeUrl" | "tokenUrl" | "refreshUrl" | "issuer", string>>;
  return [c.authorizeUrl, c.tokenUrl, c.refreshUrl, c.issuer].filter((u): u is string => !!u);
}

function pairsOf(value: string | undefined, separator: "=" | ":"): Array<[string, string]> {
  const parsed = parsePairs(value ?? "", separator);
  return typeof parsed === "string" ? [] : parsed;
}
