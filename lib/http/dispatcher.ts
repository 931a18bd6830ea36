import "server-only";
import { createHash } from "node:crypto";
import dns, { type LookupAddress } from "node:dns";
import net, { type LookupFunction } from "node:net";
import tls from "node:tls";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { AddressGuardError, checkAddress, checkHost, checkResolved, hostToIp, type AllowList } from "./address-guard";
import { ProxiedDispatcher } from "./proxy/proxied-dispatcher";
import type { ProxyPlan, ProxyResolve } from "./proxy/proxy-plan";
import { connectionReady, watchConnectionSetup } from "./request-timing";
import type { ClientCertificate } from "./types";

/** Resolves a host name to every address it has (dns.lookup by default; tests inject their own). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export interface DispatcherConfig {
  rejectUnauthorized: boolean;
  caCertificatePem?: string;
  allow: AllowList;
  resolveHost?: ResolveHost;
  /** Mutual TLS: presented to every server this dispatcher connects to. */
  clientCertificate?: ClientCertificate;
  /**
   * Offer HTTP/2 in the TLS handshake (ALPN); the guarded connector opens the socket either way. Direct
   * connections only (NO_PROXY hosts included): requests tunnelled through a proxy stay on HTTP/1.1.
   */
  allowH2?: boolean;
  /** Where requests go through a proxy (lib/http/proxy); without one every request connects directly. */
  proxy?: ProxyPlan;
  /** With a proxy: send it the name ("proxy", default) or the address the guard checked ("local"). */
  proxyResolve?: ProxyResolve;
}

const defaultResolve: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * DNS for the socket: resolves, judges every address, and hands exactly those addresses to the socket, so
 * the address connected to is one that was checked (a rebinding DNS server gets no second answer in between).
 */
function guardedLookup(allow: AllowList, resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (err: Error | null, address?: string | LookupAddress[], family?: number) => void;
    const pre = checkHost(hostname, allow);
    if (pre !== "resolve" && !pre.allowed) return done(new AddressGuardError(pre.message));
    resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = family ? found.filter((a) => a.family === family) : found;
        if (addresses.length === 0) return done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }));
        const verdict = checkResolved(
          hostname,
          addresses.map((a) => a.address),
          allow,
        );
        if (!verdict.allowed) return done(new AddressGuardError(verdict.message));
        if (options.all) done(null, addresses);
        else done(null, addresses[0].address, addresses[0].family);
      },
      (err: Error) => done(err),
    );
  };
}

/** A socket connector that refuses IP-literal targets up front (net skips lookup for them) and guards DNS. */
function guardedConnector(config: DispatcherConfig): buildConnector.connector {
  const connect = buildConnector({
    rejectUnauthorized: config.rejectUnauthorized,
    // A pasted CA is trusted in addition to the public roots, not instead of them.
    ca: config.caCertificatePem ? [...tls.rootCertificates, config.caCertificatePem] : undefined,
    lookup: guardedLookup(config.allow, config.resolveHost ?? defaultResolve),
    allowH2: config.allowH2 ?? false,
    ...(config.clientCertificate ? clientCertificateOptions(config.clientCertificate) : {}),
  });
  return (options, callback) => {
    const ip = hostToIp(options.hostname);
    if (ip) {
      const verdict = checkAddress(ip, config.allow);
      if (!verdict.allowed) return callback(new AddressGuardError(verdict.message), null);
    }
    const startedAt = performance.now();
    // buildConnector's connect returns the socket it opens (its type says void): its events time the set-up.
    const opening: unknown = connect(options, (...args) => {
      if (args[1] instanceof tls.TLSSocket) explainClientCertificateRefusal(args[1], !!config.clientCertificate);
      if (args[1]) connectionReady(args[1], startedAt);
      callback(...args);
    });
    if (opening instanceof net.Socket) watchConnectionSetup(opening, startedAt);
  };
}

/**
 * A server that requires a client certificate often refuses one (or its absence) after the TLS 1.3
 * handshake has completed on our side: it sends an alert, or (Node's https server) just closes. undici then
 * reports "other side closed" and drops the alert. This keeps the reason as the cause of undici's error:
 * the alert when one arrived, else, when the server asked for a certificate (it sent a CertificateRequest,
 * the only way a client learns the server's signature algorithms) and closed before any response byte,
 * an ERR_TLS_CLIENT_CERTIFICATE_REFUSED / _MISSING error that errors.ts puts in words.
 */
function explainClientCertificateRefusal(socket: tls.TLSSocket, presented: boolean): void {
  const asked = socket.getSharedSigalgs().length > 0;
  let alert: Error | undefined;
  socket.prependListener("error", (err: Error & { code?: unknown }) => {
    if (typeof err.code !== "string" || socket.bytesRead > 0) return;
    if (!alert && err.code.startsWith("ERR_SSL_")) alert = err;
    else if ((err.code === "UND_ERR_SOCKET" || err.code === "ECONNRESET") && err.cause === undefined) {
      if (alert) err.cause = alert;
      else if (asked) err.cause = clientCertificateRefusal(presented);
    }
  });
}

function clientCertificateRefusal(presented: boolean): Error {
  const code = presented ? "ERR_TLS_CLIENT_CERTIFICATE_REFUSED" : "ERR_TLS_CLIENT_CERTIFICATE_MISSING";
  const message = presented
    ? "the server asked for a client certificate, then closed the connection without answering"
    : "the server asked for a client certificate, none was presented, and it closed the connection without answering";
  return Object.assign(new Error(message), { code });
}

// Agents keep connection pools, so they are reused per distinct TLS + guard configuration; the map is
// bounded because every pasted CA certificate makes a new configuration.
const MAX_AGENTS = 32;
const agents = new Map<string, Dispatcher>();
const resolverIds = new WeakMap<ResolveHost, number>();
let nextResolverId = 1;

/**
 * The one factory of outbound HTTP clients (lib/http/dispatcher-call-sites.test.ts keeps it so): every request
 * of a connection or a request, and its OAuth calls, get their dispatcher here.
 */
export function getDispatcher(config: DispatcherConfig): Dispatcher {
  const key = cacheKey(config);
  const existing = agents.get(key);
  if (existing) {
    agents.delete(key);
    agents.set(key, existing);
    return existing;
  }
  const agent = createDispatcher(config);
  agents.set(key, agent);
  if (agents.size > MAX_AGENTS) {
    const [oldestKey, oldest] = agents.entries().next().value as [string, Dispatcher];
    agents.delete(oldestKey);
    void oldest.close(); // graceful: requests still running on it finish first
  }
  return agent;
}

function createDispatcher(config: DispatcherConfig): Dispatcher {
  // The connector offers h2 in ALPN exactly when the agent may speak it (a mismatch breaks the exchange).
  const direct = new Agent({ connect: guardedConnector(config), allowH2: config.allowH2 ?? false });
  if (!config.proxy) return direct;
  const resolve = config.resolveHost ?? defaultResolve;
  return new ProxiedDispatcher(direct, {
    plan: config.proxy,
    resolveMode: config.proxyResolve ?? "proxy",
    allow: config.allow,
    resolve,
    guardedLookup: guardedLookup(config.allow, resolve),
    targetTls: {
      rejectUnauthorized: config.rejectUnauthorized,
      ca: config.caCertificatePem ? [...tls.rootCertificates, config.caCertificatePem] : undefined,
      ...(config.clientCertificate ? clientCertificateOptions(config.clientCertificate) : {}),
    },
  });
}

/** Closes every pooled connection (tests, benchmarks and shutdown). */
export async function closeHttpAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close()));
}

// An allow-list is immutable once parsed: its part of the key is computed once per list.
const allowKeys = new WeakMap<AllowList, string>();

function cacheKey(config: DispatcherConfig): string {
  let resolverId = 0;
  if (config.resolveHost) {
    resolverId = resolverIds.get(config.resolveHost) ?? nextResolverId++;
    resolverIds.set(config.resolveHost, resolverId);
  }
  let allow = allowKeys.get(config.allow);
  if (allow === undefined) {
    allow = config.allow.entries.join(",");
    allowKeys.set(config.allow, allow);
  }
  const ca = config.caCertificatePem ? createHash("sha256").update(config.caCertificatePem).digest("hex") : "";
  const verify = config.rejectUnauthorized ? "verify" : "insecure";
  const proxy = config.proxy ? `|${config.proxy.key}|${config.proxyResolve ?? "proxy"}` : "";
  return `${verify}|${ca}|${allow}|${resolverId}|${clientCertificateId(config.clientCertificate)}|${config.allowH2 ? "h2" : "h1"}${proxy}`;
}

function clientCertificateOptions(cert: ClientCertificate): tls.ConnectionOptions {
  return { cert: cert.certPem, key: cert.keyPem, pfx: cert.pfx, passphrase: cert.passphrase };
}

/** A digest of the certificate material, so each connection's certificate gets its own pool (kept in memory only). */
function clientCertificateId(cert: ClientCertificate | undefined): string {
  if (!cert) return "";
  const hash = createHash("sha256");
  for (const part of [cert.certPem, cert.keyPem, cert.pfx?.toString("base64"), cert.passphrase]) hash.update(`${part?.length ?? -1}:${part ?? ""}`);
  return hash.digest("hex");
}
