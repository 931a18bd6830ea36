import "server-only";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { onPremBaseUrl } from "../on-prem";
import type { basicForm } from "./form";

type Config = ConfigOf<typeof basicForm>;

export function basicCredentials(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}

export const basicServer: ConnectionTypeServer<Config> = {
  urls: (c) => [onPremBaseUrl(c.host, c.port)].filter((u): u is string => !!u),
  baseUrl: (c) => onPremBaseUrl(c.host, c.port),
  async apply({ headers }, { config, secrets }) {
    headers.set("Authorization", `Basic ${basicCredentials(config.username, secrets.password ?? "")}`);
  },
  // The pair gives the password away in clear and in its Basic encoding.
  derivedSecrets: (c, secrets) => [`${c.username}:${secrets.password ?? ""}`, basicCredentials(c.username, secrets.password ?? "")],
  curl: () => ({ kind: "applied" }),
  summary: (c) => [{ label: "User", value: c.username }, ...(c.host ? [{ label: "Host", value: onPremBaseUrl(c.host, c.port) ?? c.host }] : [])],
};
