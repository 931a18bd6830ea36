import "server-only";
import { refreshAccessToken, type AuthorizationCodeConfigInput } from "@/lib/oauth-client";
import { rowsToRecord, splitList } from "../common";
import type { ConfigOf, ConnectionTypeServer, StoredSecrets } from "../descriptor";
import { clientAuthDerivedSecrets, clientAuthSettings } from "../oauth-client-auth-server";
import { SEPARATORS } from "../oauth2-common";
import type { oauth2CodeForm } from "./form";

type Config = ConfigOf<typeof oauth2CodeForm>;

export function authorizationCodeSettings(c: Config, secrets: StoredSecrets): AuthorizationCodeConfigInput {
  return {
    authorizeUrl: c.authorizeUrl,
    tokenUrl: c.tokenUrl,
    refreshUrl: c.refreshUrl || undefined,
    scopes: splitList(c.scopes ?? ""),
    scopeSeparator: SEPARATORS[c.scopeSeparator ?? "space"],
    clientId: c.clientId,
    ...clientAuthSettings(c, secrets),
    usePkce: c.usePkce ?? true,
    extraAuthorizeParams: rowsToRecord(c.extraAuthorizeParams, "="),
    tokenRequestHeaders: rowsToRecord(c.tokenHeaders, ":"),
    issuer: c.issuer || undefined,
    issParameterSupported: c.issuer ? c.issParameterSupported : undefined,
  };
}

const endpoints = (c: Config) => [c.authorizeUrl, c.tokenUrl, c.refreshUrl, c.issuer].filter((u): u is string => !!u);

export const oauth2CodeServer: ConnectionTypeServer<Config> = {
  urls: (c) => [c.authorizeUrl, c.tokenUrl, c.refreshUrl].filter((u): u is string => !!u),
  async apply({ headers }, { accessToken, forceRefresh }) {
    const token = await accessToken(forceRefresh);
    headers.set("Authorization", `Bearer ${token.accessToken}`);
  },
  tokens: {
    renewal: "refresh",
    issuedMessage: "Access token refreshed",
    obtain: ({ config, secrets, oauth }) => refreshAccessToken(authorizationCodeSettings(config, secrets), secrets.refreshToken ?? "", oauth),
    endpoints,
  },
  consent: { settings: authorizationCodeSettings },
  derivedSecrets: (_c, secrets) => clientAuthDerivedSecrets(secrets),
  curl: () => ({ kind: "applied" }),
  summary: (c) => [
    { label: "Provider", value: new URL(c.tokenUrl).host },
    ...(c.scopes ? [{ label: "Scopes", value: splitList(c.scopes).join(" ") }] : []),
  ],
};
