import "server-only";
import type { LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import type tls from "node:tls";
import { type Agent, type buildConnector, Dispatcher, Pool, ProxyAgent } from "undici";
import { AddressGuardError, type AllowList, checkAddress, checkHost, checkResolved } from "../address-guard";
import { PROXY_CONNECTION, type ProxyConnectionTag } from "../errors";
import { type ProxyPlan, type ProxyResolve, type ProxyServer, proxyAuthorization } from "./proxy-plan";
import { BoundedMap } from "@/lib/memory/bounded-map";

const MAX_CHECKED_ADDRESSES = 256;

export interface ProxiedDispatcherOptions {
  plan: ProxyPlan;
  resolveMode: ProxyResolve;
  allow: AllowList;
  resolve: (hostname: string) => Promise<LookupAddress[]>;
  /** The target's TLS (CA, client certificate, verification): applied inside the tunnel, never to the proxy. */
  targetTls: tls.ConnectionOptions;
  /** DNS for sockets to a team's proxy: the guard's own lookup, so the proxy's address is checked too. */
  guardedLookup: LookupFunction;
}

/**
 * Routes each request either directly (the guarded agent) or through its proxy, and keeps the address guard
 * true behind the proxy: the target's host is resolved and judged before anything is sent to the proxy
 * (a refused target never reaches it), on every request, so on every redirect hop too. With
 * PLUGBOARD_PROXY_RESOLVE=local the proxy is sent the checked address instead of the name (Host, SNI and
 * the certificate check keep the name); otherwise the proxy resolves the name itself (see the README for
 * what that does and does not guarantee).
 */
export class ProxiedDispatcher extends Dispatcher {
  readonly #direct: Agent;
  readonly #options: ProxiedDispatcherOptions;
  readonly #agents = new Map<string, ProxyAgent>();
  /** host:port -> checkedAddress:port, for CONNECT under PLUGBOARD_PROXY_RESOLVE=local (every value passed the guard). */
  readonly #checkedAddresses = new BoundedMap<string, string>(MAX_CHECKED_ADDRESSES);

  constructor(direct: Agent, options: ProxiedDispatcherOptions) {
    super();
    this.#direct = direct;
    this.#options = options;
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const target = new URL(String(opts.origin));
    const server = this.#options.plan.routeFor(target);
    if (!server) return this.#direct.dispatch(opts, handler);
    this.#send(target, server, opts, handler).catch((err: unknown) => fail(handler, err));
    return true;
  }

  async #send(target: URL, server: ProxyServer, opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): Promise<void> {
    if (server.configuredBy === "team") {
      // An IP-literal proxy skips DNS, so the guarded lookup never sees it: judged here.
      const literal = server.url.hostname.replace(/^\[(.*)\]$/, "$1");
      if (isIP(literal)) {
        const verdict = checkAddress(literal, this.#options.allow);
        if (!verdict.allowed)
          throw new AddressGuardError(verdict.message.replace(/^refused by the address guard: /, "refused by the address guard: the proxy "));
      }
    }
    const address = await this.#checkTarget(target.hostname);
    let sent = opts;
    if (this.#options.resolveMode === "local" && address) {
      const ip = isIP(address) === 6 ? `[${address}]` : address;
      const port = target.port || (target.protocol === "https:" ? "443" : "80");
      if (target.protocol === "https:") {
        // The tunnel keeps the name for SNI, Host and the certificate check; only CONNECT's target becomes the address.
        this.#checkedAddresses.set(`${target.hostname}:${port}`, `${ip}:${port}`);
      } else {
        // Forwarded: the absolute URI names the address, Host the name.
        sent = { ...opts, origin: `http://${ip}:${port}`, headers: withHost(opts.headers, target.host) };
      }
    }
    this.#agentFor(server).dispatch(sent, handler);
  }

  /** Resolves and judges the target; returns the first checked address (undefined for a listed name we may not resolve). */
  async #checkTarget(hostname: string): Promise<string | undefined> {
    const { allow, resolve, resolveMode } = this.#options;
    const pre = checkHost(hostname, allow);
    const literal = hostname.replace(/^\[(.*)\]$/, "$1");
    if (pre !== "resolve") {
      if (!pre.allowed) throw new AddressGuardError(pre.message);
      // A name an admin listed is trusted as is: the proxy may be the only one that can resolve it.
      if (isIP(literal) || resolveMode === "proxy") return isIP(literal) ? literal : undefined;
    }
    const found = await resolve(hostname);
    if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
    const verdict = checkResolved(
      hostname,
      found.map((a) => a.address),
      allow,
    );
    if (!verdict.allowed) throw new AddressGuardError(verdict.message);
    return found[0].address;
  }

  #agentFor(server: ProxyServer): ProxyAgent {
    const key = server.url.href;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new ProxyAgent({
        uri: key,
        token: proxyAuthorization(server),
        // http:// targets are forwarded as absolute-URI requests; https:// ones tunnel with CONNECT.
        proxyTunnel: false,
        requestTls: this.#options.targetTls,
        proxyTls: server.configuredBy === "team" ? { lookup: this.#options.guardedLookup } : undefined,
        clientFactory: (origin, options) => this.#tunnelClient(origin, options),
        // Forwarding http:// targets: the client to the proxy is made by this factory (called with the proxy's
        // URL), the per-target pools of tunnels too (with the target's origin, left as undici makes them).
        factory: (origin, options) => {
          const toProxy = new URL(String(origin)).origin === server.url.origin;
          const poolOptions = options as Pool.Options;
          return new Pool(
            origin,
            toProxy ? { ...poolOptions, connect: tagProxyFailures(poolOptions.connect as buildConnector.connector, server.url) } : poolOptions,
          );
        },
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /**
   * The client that sends CONNECT (and, to an https:// proxy, every request): under "local" resolution its
   * target is the address the guard checked. Its sockets are the ones to the proxy, so their failures (an
   * https:// proxy's certificate, a proxy that refuses connections) are tagged to be said of the proxy.
   */
  #tunnelClient(origin: URL, options: Pool.Options): Dispatcher {
    const pool = new Pool(origin, { ...options, connect: tagProxyFailures(options.connect as buildConnector.connector, origin) });
    if (this.#options.resolveMode !== "local") return pool;
    const connect = pool.connect.bind(pool);
    const checked = this.#checkedAddresses;
    pool.connect = ((params: Dispatcher.ConnectOptions, callback?: (err: Error | null, data: Dispatcher.ConnectData) => void) => {
      const address = typeof params.path === "string" ? checked.get(params.path) : undefined;
      const rewritten = address ? { ...params, path: address } : params;
      return callback ? connect(rewritten, callback) : connect(rewritten);
    }) as Pool["connect"];
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([this.#direct.close(), ...[...this.#agents.values()].map((a) => a.close())]);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.#direct.destroy(), ...[...this.#agents.values()].map((a) => a.destroy())]);
  }
}

function tagProxyFailures(connect: buildConnector.connector, proxy: URL): buildConnector.connector {
  const tag: ProxyConnectionTag = { host: proxy.hostname, port: proxy.port || (proxy.protocol === "https:" ? "443" : "80") };
  return (options, callback) =>
    connect(options, (err, socket) => {
      if (err) {
        // Tagged, not wrapped: undici's client treats some codes (a certificate's altname) specially.
        (err as Error & { [PROXY_CONNECTION]?: ProxyConnectionTag })[PROXY_CONNECTION] = tag;
        callback(err, null);
      } else callback(null, socket as NonNullable<typeof socket>);
    });
}

function withHost(headers: Dispatcher.DispatchOptions["headers"], host: string): Dispatcher.DispatchOptions["headers"] {
  // undici's request() passes an object, its fetch() a flat [name, value, ...] array.
  if (Array.isArray(headers)) {
    const pairs: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() !== "host") pairs.push(String(headers[i]), String(headers[i + 1]));
    return [...pairs, "host", host];
  }
  const copy: Record<string, string | string[] | undefined> = {};
  if (headers && !(Symbol.iterator in headers)) {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== "host") copy[k] = v;
  }
  return { ...copy, host };
}

/** Hands an error to either handler style undici has (onError, or onResponseError of the new API). */
function fail(handler: Dispatcher.DispatchHandler, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  const legacy = handler as { onError?: (err: Error) => void };
  if (typeof legacy.onError === "function") {
    legacy.onError(error);
    return;
  }
  const failed: Dispatcher.DispatchController = { aborted: true, paused: false, reason: error, abort() {}, pause() {}, resume() {} };
  handler.onResponseError?.(failed, error);
}
