import "server-only";
import type { ConnectionProxy } from "@/lib/http/proxy/proxy-plan";
import type { StoredSecrets } from "./descriptor";
import type { ProxyValues } from "./proxy-form";

/** The proxy a connection's calls go through, from its stored config and decrypted secrets (proxy-form.ts). */
export function connectionProxyOf(config: ProxyValues, secrets: StoredSecrets): ConnectionProxy {
  if (config.proxyMode === "none") return { mode: "none" };
  if (config.proxyMode === "custom" && config.proxyUrl) {
    return { mode: "custom", url: config.proxyUrl, username: secrets.proxyUsername || undefined, password: secrets.proxyPassword || undefined };
  }
  return { mode: "default" };
}
