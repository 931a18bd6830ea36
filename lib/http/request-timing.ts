import "server-only";
import diagnosticsChannel from "node:diagnostics_channel";
import type net from "node:net";
import tls from "node:tls";
import type { ExchangeTiming, HttpProtocol, TimingPhase, Timings, WaitTiming } from "./types";

/**
 * Measures each request's phases (DNS, connect, TLS, time to first byte, download) the way a browser's
 * network panel does. Connection set-up is timed by the guarded connector (its DNS is our address guard's
 * lookup) and kept on the socket; the request's own moments come from undici's diagnostics channels. The
 * first request written on a new socket takes its set-up phases; a request on a kept-alive socket has none.
 */

type ConnectionSetup = {
  startedAt: number;
  lookedUpAt?: number;
  connectedAt?: number;
  readyAt?: number;
  secure: boolean;
  /** A request already took these phases: later requests on this socket reused it. */
  claimed: boolean;
};

type Exchange = {
  attempt: number;
  hop: number;
  calledAt: number;
  sentAt?: number;
  headersAt?: number;
  completedAt?: number;
  status?: number;
  protocol?: HttpProtocol;
  /** null: sent on a reused connection; undefined: never written to a socket. */
  setup?: ConnectionSetup | null;
};

const setups = new WeakMap<net.Socket, ConnectionSetup>();
const exchanges = new WeakMap<object, Exchange>();
/** The exchange whose undici request is being created right now (dispatch creates it synchronously). */
let creating: Exchange | undefined;

/** Called by the connector as it opens a socket: the lookup and TCP connect moments are events on it. */
export function watchConnectionSetup(socket: net.Socket, startedAt: number): void {
  const setup: ConnectionSetup = { startedAt, secure: socket instanceof tls.TLSSocket, claimed: false };
  setups.set(socket, setup);
  // Prepended: undici's own "connect" listener writes the first request at once, which must come after.
  // No "lookup" event for an IP literal: no DNS phase, which is the truth.
  socket.prependOnceListener("lookup", () => {
    setup.lookedUpAt ??= performance.now();
  });
  socket.prependOnceListener("connect", () => {
    setup.connectedAt ??= performance.now();
  });
}

/** Called by the connector when undici gets the socket (after the TLS handshake for https). */
export function connectionReady(socket: net.Socket, startedAt: number): void {
  let setup = setups.get(socket);
  if (!setup) {
    setup = { startedAt, secure: socket instanceof tls.TLSSocket, claimed: false };
    setups.set(socket, setup);
  }
  setup.readyAt = performance.now();
}

let subscribed = false;
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnosticsChannel.subscribe("undici:request:create", (message) => {
    const { request } = message as { request: object };
    if (creating && !exchanges.has(request)) {
      exchanges.set(request, creating);
      creating = undefined;
    }
  });
  diagnosticsChannel.subscribe("undici:client:sendHeaders", (message) => {
    const { request, socket } = message as { request: object; socket: net.Socket };
    const exchange = exchanges.get(request);
    if (!exchange) return;
    exchange.sentAt = performance.now();
    // undici runs an HTTP/2 session on the very socket the guarded connector opened when ALPN chose h2.
    exchange.protocol = (socket as tls.TLSSocket).alpnProtocol === "h2" ? "HTTP/2" : "HTTP/1.1";
    const setup = setups.get(socket);
    if (setup && !setup.claimed) {
      setup.claimed = true;
      exchange.setup = setup;
    } else exchange.setup = null;
  });
  diagnosticsChannel.subscribe("undici:request:headers", (message) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    const exchange = exchanges.get(request);
    if (!exchange) return;
    exchange.headersAt = performance.now();
    exchange.status = response.statusCode;
  });
  diagnosticsChannel.subscribe("undici:request:trailers", (message) => {
    const exchange = exchanges.get((message as { request: object }).request);
    if (exchange) exchange.completedAt = performance.now();
  });
}

/** The timing of one executor run: every request it sent and every pause between attempts. */
export class RunTiming {
  private readonly sent: Exchange[] = [];
  private readonly waits: WaitTiming[] = [];

  constructor(readonly startedAt: number) {
    subscribe();
  }

  /**
   * The undici request that the next dispatch creates (synchronously) is this exchange; `dispatched()` right
   * after it, so a request created later (a proxied one is created after the guard's check) is not taken for it.
   */
  sending(attempt: number, hop: number): void {
    const exchange: Exchange = { attempt, hop, calledAt: performance.now() };
    this.sent.push(exchange);
    creating = exchange;
  }

  dispatched(): void {
    creating = undefined;
  }

  wait(startedAt: number, durationMs: number, reason: string): void {
    this.waits.push({ startMs: startedAt - this.startedAt, durationMs, reason });
  }

  toTimings(totalMs: number, ttfbMs?: number): Timings {
    const exchanges: ExchangeTiming[] = [];
    for (let i = 0; i < this.sent.length; i++) exchanges.push(exchangeTiming(this.sent[i], this.startedAt));
    const timings: Timings = ttfbMs === undefined ? { totalMs, exchanges } : { totalMs, ttfbMs, exchanges };
    if (this.waits.length) timings.waits = this.waits;
    return timings;
  }
}

// Called for every request a run sends: plain loops and no closures (this is per-request cost).
function exchangeTiming(e: Exchange, origin: number): ExchangeTiming {
  const phases: TimingPhase[] = [];
  const setup = e.setup;
  if (setup) {
    addPhase(phases, origin, "dns", setup.startedAt, setup.lookedUpAt);
    const tcpDone = setup.connectedAt ?? setup.readyAt;
    addPhase(phases, origin, "connect", setup.lookedUpAt ?? setup.startedAt, tcpDone);
    if (setup.secure) addPhase(phases, origin, "tls", tcpDone, setup.readyAt);
  }
  addPhase(phases, origin, "ttfb", e.sentAt, e.headersAt);
  addPhase(phases, origin, "download", e.headersAt, e.completedAt);
  const start = setup ? Math.min(e.calledAt, setup.startedAt) : e.calledAt;
  const timing: ExchangeTiming = { attempt: e.attempt, hop: e.hop, startMs: start - origin, reusedConnection: setup === null, phases };
  if (e.status !== undefined) timing.status = e.status;
  if (e.protocol) timing.protocol = e.protocol;
  return timing;
}

function addPhase(phases: TimingPhase[], origin: number, name: TimingPhase["name"], from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && to >= from) phases.push({ name, startMs: from - origin, durationMs: to - from });
}
