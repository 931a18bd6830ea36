import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeHttpAgents, type ResolveHost } from "./dispatcher";
import { generateTestCertificates } from "./testing/certificates";
import { send } from "./testing/executor-helpers";
import { httpbinUrl, startLocalServer, type LocalServer } from "./testing/local-server";
import type { ExchangeTiming, TimingPhaseName } from "./types";

const DNS_DELAY_MS = 40;

/** A resolver that answers 127.0.0.1 after a noticeable pause; each one gets its own connection pool. */
function slowResolver(): ResolveHost {
  return async (): Promise<LookupAddress[]> => {
    await new Promise((r) => setTimeout(r, DNS_DELAY_MS));
    return [{ address: "127.0.0.1", family: 4 }];
  };
}

const names = (e: ExchangeTiming | undefined): TimingPhaseName[] => e?.phases.map((p) => p.name) ?? [];
const phase = (e: ExchangeTiming | undefined, name: TimingPhaseName) => e?.phases.find((p) => p.name === name);

let keepAlive: LocalServer;
let secure: LocalServer;

beforeAll(async () => {
  const hello = (_: unknown, res: import("node:http").ServerResponse) =>
    res.writeHead(200, { "content-type": "application/json" }).end('{"hello":true}');
  keepAlive = await startLocalServer(hello);
  secure = await startLocalServer(hello, generateTestCertificates().selfSigned);
});
afterAll(async () => {
  await Promise.all([keepAlive.close(), secure.close()]);
  await closeHttpAgents();
});

describe("request phases", () => {
  it("times the address guard's DNS lookup, the TCP connect, the first byte and the download of a new connection", async () => {
    const bin = new URL(httpbinUrl());
    const r = await send({ url: `http://httpbin.timing.test:${bin.port}/bytes/20000`, responseType: "binary" }, { resolveHost: slowResolver() });
    const [first] = r.timings.exchanges ?? [];
    expect(names(first)).toEqual(["dns", "connect", "ttfb", "download"]);
    expect(first.reusedConnection).toBe(false);
    expect(first.status).toBe(200);
    expect(phase(first, "dns")?.durationMs).toBeGreaterThanOrEqual(DNS_DELAY_MS - 1);
    // The phases follow one another on one axis, inside the run.
    const ends = first.phases.map((p) => p.startMs + p.durationMs);
    for (const [i, p] of first.phases.slice(1).entries()) expect(p.startMs).toBeGreaterThanOrEqual(ends[i] - 0.001);
    expect(ends.at(-1)).toBeLessThanOrEqual(r.timings.totalMs);
  });

  it("has no DNS phase for an IP address, and none of DNS, connect or TLS on a kept-alive connection", async () => {
    const opened = await send({ url: `${keepAlive.url}/` });
    expect(names(opened.timings.exchanges?.[0])).toEqual(["connect", "ttfb", "download"]);
    // undici frees the connection just after the body ends: a request sent in that same moment opens another.
    await new Promise((r) => setTimeout(r, 20));
    const reused = await send({ url: `${keepAlive.url}/` });
    const [again] = reused.timings.exchanges ?? [];
    expect(again.reusedConnection).toBe(true);
    expect(names(again)).toEqual(["ttfb", "download"]);
  });

  it("opens a new connection again when the server closed it (httpbin answers HTTP/1.0)", async () => {
    await send({ url: `${httpbinUrl()}/get` });
    const second = await send({ url: `${httpbinUrl()}/get` });
    expect(second.timings.exchanges?.[0].reusedConnection).toBe(false);
    expect(names(second.timings.exchanges?.[0])).toContain("connect");
  });

  it("times the TLS handshake after the TCP connect", async () => {
    const r = await send({ url: `${secure.url}/`, ignoreSslErrors: true });
    const [first] = r.timings.exchanges ?? [];
    expect(names(first)).toEqual(["connect", "tls", "ttfb", "download"]);
    const connect = phase(first, "connect");
    const handshake = phase(first, "tls");
    expect(handshake?.durationMs).toBeGreaterThan(0);
    expect(handshake?.startMs).toBeGreaterThanOrEqual((connect?.startMs ?? 0) + (connect?.durationMs ?? 0) - 0.001);
  });

  it("records every redirect hop and every retry with the wait between them", async () => {
    const redirected = await send({ url: `${httpbinUrl()}/redirect/2` });
    expect(redirected.timings.exchanges?.map((e) => [e.attempt, e.hop, e.status])).toEqual([
      [1, 0, 302],
      [1, 1, 302],
      [1, 2, 200],
    ]);
    const retried = await send({ url: `${httpbinUrl()}/status/503`, maxRetries: 1, retryDelayMs: 50, exponentialBackoff: false });
    expect(retried.timings.exchanges?.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
    const [wait] = retried.timings.waits ?? [];
    expect(wait).toMatchObject({ reason: "HTTP 503" });
    expect(wait.durationMs).toBeGreaterThanOrEqual(49);
    const [one, two] = retried.timings.exchanges ?? [];
    expect(wait.startMs).toBeGreaterThanOrEqual(one.startMs);
    expect(two.startMs).toBeGreaterThanOrEqual(wait.startMs + wait.durationMs - 0.001);
  });
});
