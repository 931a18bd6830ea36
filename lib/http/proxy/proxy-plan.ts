import "server-only";
import { createHash } from "node:crypto";
import { bypassesProxy, parseNoProxy, type NoProxyList } from "./no-proxy";

/**
 * Which proxy, if any, a request's target goes through. The executor and the OAuth client resolve the
 * user's choice (request, then connection, then instance) to a plan; the dispatcher asks the plan per origin.
 */

export interface ProxyServer {
  /** scheme://host:port, no credentials. */
  url: URL;
  username?: string;
  password?: string;
  /**
   * Who set it. An instance proxy (the environment) is an admin's decision: its address is trusted. A team
   * admin's proxy (on a connection or a request) is held to the address guard like any target, or it would
   * let a team reach an internal address by calling it a proxy.
   */
  configuredBy: "instance" | "team";
}

export interface ProxyPlan {
  /** The proxy this target goes through; undefined when it is reached directly. */
  routeFor(target: URL): ProxyServer | undefined;
  /** Identifies the plan for the dispatcher cache (credentials only as a digest). */
  readonly key: string;
}

/** How the proxy learns the target: its name (the proxy resolves it) or the address our guard checked. */
export type ProxyResolve = "proxy" | "local";

interface InstanceProxyEnv {
  https?: ProxyServer;
  http?: ProxyServer;
  noProxy: NoProxyList;
}

let cachedEnv: { text: string; plan: ProxyPlan | undefined } | undefined;

/**
 * The instance proxy from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case first, as curl and undici read
 * them), or undefined when neither proxy is set: then there is nothing to do per request. Read once per
 * process (each process.env read is a getenv; the executor must not pay for them per request): tests that
 * change the variables call reloadInstanceProxy().
 */
export function instanceProxyPlan(): ProxyPlan | undefined {
  return (cachedEnv ??= readInstanceProxy(process.env)).plan;
}

/** Reads the proxy variables again (tests; a process's environment does not change otherwise). */
export function reloadInstanceProxy(env: Readonly<Record<string, string | undefined>> = process.env): ProxyPlan | undefined {
  cachedEnv = readInstanceProxy(env);
  return cachedEnv.plan;
}

function readInstanceProxy(env: Readonly<Record<string, string | undefined>>): { text: string; plan: ProxyPlan | undefined } {
  const https = env.https_proxy || env.HTTPS_PROXY || "";
  const http = env.http_proxy || env.HTTP_PROXY || "";
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? "";
  const text = `${https}\n${http}\n${noProxy}`;
  const parsed: InstanceProxyEnv = {
    https: https ? envProxyServer("HTTPS_PROXY", https) : undefined,
    http: http ? envProxyServer("HTTP_PROXY", http) : undefined,
    noProxy: parseNoProxy(noProxy),
  };
  const plan =
    parsed.https || parsed.http
      ? {
          key: `instance:${digest(text)}`,
          routeFor: (target: URL) => {
            const server = target.protocol === "https:" ? parsed.https : parsed.http;
            return server && !bypassesProxy(target, parsed.noProxy) ? server : undefined;
          },
        }
      : undefined;
  return { text, plan };
}

/** A proxy variable that cannot be used: `npm start` refuses to start with it (checkProxyEnvironment). */
export class ProxyConfigError extends Error {
  override name = "ProxyConfigError";
}

/**
 * Reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY and PLUGBOARD_PROXY_RESOLVE as the executor will, so a bad value
 * is reported once at start-up, naming the variable, instead of failing the first request that leaves.
 */
export function checkProxyEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): void {
  try {
    readInstanceProxy(env);
    proxyResolveMode(env);
  } catch (error) {
    throw new ProxyConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** PLUGBOARD_PROXY_RESOLVE: "local" sends the proxy the address our guard checked instead of the name. */
export function proxyResolveMode(env: Readonly<Record<string, string | undefined>> = process.env): ProxyResolve {
  const value = env.PLUGBOARD_PROXY_RESOLVE || "proxy";
  if (value !== "proxy" && value !== "local") throw new Error(`PLUGBOARD_PROXY_RESOLVE must be "proxy" or "local", not "${value}"`);
  return value;
}

/** A team's proxy (a connection's or a request's): every target goes through it. */
export function customProxyPlan(server: Omit<ProxyServer, "configuredBy">): ProxyPlan {
  const proxy: ProxyServer = { ...server, url: proxyOrigin(server.url), configuredBy: "team" };
  return {
    key: `team:${proxy.url.href}|${digest(`${server.username ?? ""}:${server.password ?? ""}`)}`,
    routeFor: () => proxy,
  };
}

/** The proxy as the debug output and the run pages show it: its URL, never its credentials (both are secrets). */
export function describeProxy(server: ProxyServer): string {
  const who = server.username || server.password ? " (with proxy credentials)" : "";
  const source = server.configuredBy === "instance" ? "instance proxy" : "proxy";
  return `${source} ${server.url.origin}${who}`;
}

/** Proxy-Authorization for a server with credentials (RFC 7617 Basic). */
export function proxyAuthorization(server: ProxyServer): string | undefined {
  if (server.username === undefined && server.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${server.username ?? ""}:${server.password ?? ""}`).toString("base64")}`;
}

function envProxyServer(variable: string, value: string): ProxyServer {
  // curl and undici accept "host:port" without a scheme, meaning http://.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const url = URL.parse(withScheme);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    throw new Error(`${variable} must be an http:// or https:// proxy URL (it is not one)`);
  }
  return {
    url: proxyOrigin(url),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    configuredBy: "instance",
  };
}

function proxyOrigin(url: URL): URL {
  return new URL(url.origin);
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** A connection's proxy as the executor gets it: the choice with its password decrypted. */
export type ConnectionProxy = { mode: "default" } | { mode: "none" } | { mode: "custom"; url: string; username?: string; password?: string };

/**
 * The plan a request runs with: its own choice (a flow step's or the builder's) over its connection's over
 * the instance's. Undefined means "connect directly", the path that costs nothing extra.
 */
export function chooseProxyPlan(request: { mode: string; url?: string } | undefined, connection: ConnectionProxy | undefined): ProxyPlan | undefined {
  if (request?.mode === "none") return undefined;
  if (request?.mode === "custom" && request.url) return customProxyPlan({ url: new URL(request.url) });
  if (connection?.mode === "none") return undefined;
  if (connection?.mode === "custom")
    return customProxyPlan({ url: new URL(connection.url), username: connection.username || undefined, password: connection.password || undefined });
  return instanceProxyPlan();
}
