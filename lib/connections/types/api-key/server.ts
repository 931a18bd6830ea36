import "server-only";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { onPremBaseUrl } from "../on-prem";
import type { apiKeyForm } from "./form";

type Config = ConfigOf<typeof apiKeyForm>;

export const apiKeyServer: ConnectionTypeServer<Config> = {
  urls: (c) => [onPremBaseUrl(c.host, c.port)].filter((u): u is string => !!u),
  baseUrl: (c) => onPremBaseUrl(c.host, c.port),
  async apply({ url, headers }, { config: c, secrets }) {
    const key = secrets.apiKey ?? "";
    if (c.placement === "query") url.searchParams.set(c.queryParamName || "api_key", key);
    else headers.set(c.headerKey || "Authorization", c.scheme === "None" ? key : `${c.scheme ?? "Bearer"} ${key}`);
  },
  credentialQueryParams: (c) => (c.placement === "query" ? [c.queryParamName || "api_key"] : []),
  curl: () => ({ kind: "applied" }),
  summary: (c) => [
    c.placement === "query"
      ? { label: "Query parameter", value: c.queryParamName || "api_key" }
      : { label: "Header", value: `${c.headerKey || "Authorization"}${c.scheme === "None" ? "" : ` (${c.scheme})`}` },
    ...(c.host ? [{ label: "Host", value: onPremBaseUrl(c.host, c.port) ?? c.host }] : []),
  ],
};
