import "server-only";
import { isIP } from "node:net";
import { fetch as undiciFetch } from "undici";
import { getEnv } from "@/lib/config/env";
import { parseAllowedHosts, type AllowList } from "@/lib/http/address-guard";
import { getDispatcher } from "@/lib/http/dispatcher";
import { chooseProxyPlan, type ConnectionProxy, proxyResolveMode } from "@/lib/http/proxy/proxy-plan";
import { classifyError } from "@/lib/http/errors";
import type { Masker } from "@/lib/http/mask";
import type { ClientCertificate } from "@/lib/http/types";
import { OAuthConfigError, type OAuthRequestOptions } from "@/lib/oauth-client";

/**
 * The OAuth client's HTTP goes through lib/http's guarded dispatcher (resolve, check, pin, connect), so a
 * token URL cannot reach private or metadata addresses unless an admin listed them. lib/http exports no
 * fetch, so this is the smallest adapter: undici's fetch with that dispatcher. A connection's client
 * certificate (mutual TLS) is presented on these calls too.
 */

export function adminAllowList(): AllowList {
  return parseAllowedHosts(getEnv().allowedHosts);
}

/** TLS and proxy settings of a connection's OAuth calls. */
export interface OAuthTls {
  /** Mutual TLS: presented on every call (the connection's, from clientCertificateOf). */
  clientCertificate?: ClientCertificate;
  /** A private CA trusted for these calls in addition to the public roots (an internal authorization server). */
  caCertificatePem?: string;
  /** The connection's proxy (connectionProxyOf); absent means the instance's, as for any call. */
  proxy?: ConnectionProxy;
}

export function guardedFetch(allow: AllowList = adminAllowList(), tls: OAuthTls = {}): typeof fetch {
  // Token, refresh, revocation and discovery calls take the same proxy as the connection's requests.
  const proxy = chooseProxyPlan(undefined, tls.proxy);
  const dispatcher = getDispatcher({
    rejectUnauthorized: true,
    allow,
    clientCertificate: tls.clientCertificate,
    caCertificatePem: tls.caCertificatePem?.trim() || undefined,
    proxy,
    proxyResolve: proxy ? proxyResolveMode() : undefined,
  });
  return (async (url: string | URL, init?: RequestInit) => {
    try {
      return await undiciFetch(url, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]);
    } catch (err) {
      throw settingRefusal(err, url) ?? err;
    }
  }) as unknown as typeof fetch;
}

/**
 * undici wraps the guard's refusal in TypeError("fetch failed"), which looks like a network failure and would
 * be retried. A refusal is a setting, not a hiccup: it becomes a config error (final, never retried) in the
 * executor's words. So does a TLS failure (a refused client certificate, an untrusted server certificate)
 * and a client certificate that cannot be loaded: trying again changes nothing.
 */
function settingRefusal(err: unknown, url: string | URL): OAuthConfigError | undefined {
  const target = URL.parse(String(url));
  const failed = classifyError(err, { host: target?.hostname ?? String(url), port: target?.port ?? "" });
  const host = target?.host ?? String(url);
  if (failed.kind === "address_guard") return new OAuthConfigError(`the request to ${host} was ${failed.message}`, { cause: err });
  if (failed.kind === "tls" || failed.kind === "credentials")
    return new OAuthConfigError(`the request to ${host} failed: ${failed.message}`, { cause: err });
  return undefined;
}

/**
 * Options for lib/oauth-client calls about these endpoints. Plain http:// is accepted only when every
 * http:// endpoint is a host an admin listed in PLUGBOARD_ALLOWED_HOSTS (an internal server, or the local
 * test server); public endpoints must use https://. The masker is the connection's (from openConnection):
 * every error the OAuth client returns is masked with it. `tls` carries the connection's client certificate
 * (clientCertificateOf in types/client-certificate.ts), presented on its token, refresh and discovery calls.
 */
export function oauthOptions(endpoints: string[], masker: Masker, tls: OAuthTls = {}): OAuthRequestOptions {
  const allow = adminAllowList();
  const insecure = endpoints.filter((u) => URL.canParse(u) && new URL(u).protocol === "http:");
  const allowInsecureRequests = insecure.length > 0 && insecure.every((u) => isAdminListed(new URL(u).hostname, allow));
  return { fetch: guardedFetch(allow, tls), allowInsecureRequests, timeoutMs: 15_000, masker };
}

export function isAdminListed(hostname: string, allow: AllowList): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const family = isIP(host);
  if (family) return allow.addresses.check(host, family === 4 ? "ipv4" : "ipv6");
  return allow.names.has(host) || allow.suffixes.some((s) => host.endsWith(s));
}
