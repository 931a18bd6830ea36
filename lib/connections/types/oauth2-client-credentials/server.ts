import "server-only";
import { requestClientCredentialsToken, type ClientCredentialsConfigInput } from "@/lib/oauth-client";
import { rowsToRecord, splitList } from "../common";
import type { ConfigOf, ConnectionTypeServer, StoredSecrets } from "../descriptor";
import { clientAuthDerivedSecrets, clientAuthSettings } from "../oauth-client-auth-server";
import { SEPARATORS } from "../oauth2-common";
import type { oauth2ClientCredentialsForm } from "./form";

type Config = ConfigOf<typeof oauth2ClientCredentialsForm>;

export function clientCredentialsSettings(c: Config, secrets: StoredSecrets): ClientCredentialsConfigInput {
  return {
    tokenUrl: c.tokenUrl,
    scopes: splitList(c.scopes ?? ""),
    scopeSeparator: SEPARATORS[c.scopeSeparator ?? "space"],
    clientId: c.clientId,
    ...clientAuthSettings(c, secrets),
    extraTokenParams: rowsToRecord(c.tokenParams, "="),
    tokenRequestHeaders: rowsToRecord(c.tokenHeaders, ":"),
  };
}

export const oauth2ClientCredentialsServer: ConnectionTypeServer<Config> = {
  urls: (c) => [c.tokenUrl],
  async apply({ url, headers }, { config: c, accessToken, forceRefresh }) {
    const token = await accessToken(forceRefresh);
    const placement = c.tokenPlacement ?? "header";
    if (placement !== "query") headers.set("Authorization", `${c.headerTokenName || "Bearer"} ${token.accessToken}`);
    if (placement !== "header") url.searchParams.set(c.queryParamName || "access_token", token.accessToken);
  },
  derivedSecrets: (_c, secrets) => clientAuthDerivedSecrets(secrets),
  credentialQueryParams: (c) => (c.tokenPlacement !== "header" ? [c.queryParamName || "access_token"] : []),
  tokens: {
    renewal: "grant",
    issuedMessage: "Access token issued (client credentials)",
    obtain: ({ config, secrets, oauth }) => requestClientCredentialsToken(clientCredentialsSettings(config, secrets), oauth),
    endpoints: (c) => [c.tokenUrl],
  },
  curl: () => ({ kind: "applied" }),
  summary: (c) => [
    { label: "Token URL", value: new URL(c.tokenUrl).host },
    ...(c.scopes ? [{ label: "Scopes", value: splitList(c.scopes).join(" ") }] : []),
  ],
};
