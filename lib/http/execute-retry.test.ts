import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { backoffDelay, parseRetryAfter } from "./retry";
import { startLocalServer, type LocalServer } from "./testing/local-server";
import type { ExecuteOptions, RetryInfo } from "./types";

const allowedTargets = parseAllowedHosts("127.0.0.1");

describe("backoffDelay", () => {
  const exp = { delayMs: 999, exponential: true, baseDelayMs: 100, maxDelayMs: 5000 };

  it("doubles from the base, ignoring the fixed delay", () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { ...exp, random: () => 0.5 }))).toEqual([100, 200, 400, 800]);
  });

  it("keeps jitter within ± its share", () => {
    expect(backoffDelay(2, { ...exp, random: () => 0 })).toBe(320);
    expect(backoffDelay(2, { ...exp, random: () => 0.999999 })).toBe(480);
    expect(backoffDelay(2, { ...exp, jitter: 0.5, random: () => 0 })).toBe(200);
  });

  it("never exceeds the cap", () => {
    expect(backoffDelay(10, { ...exp, random: () => 1 })).toBe(5000);
    expect(backoffDelay(40, { ...exp, random: () => 0 })).toBe(5000);
  });

  it("uses the fixed delay when not exponential", () => {
    expect([0, 1, 5].map((n) => backoffDelay(n, { delayMs: 250, exponential: false }))).toEqual([250, 250, 250]);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-3", now)).toBeUndefined();
  });
});

describe("retries against a flaky server", () => {
  let server: LocalServer;
  const hits = new Map<string, number>();
  // Each path scripts the answers of its first tries; later tries get 200.
  const scripts: Record<string, ((res: ServerResponse) => void)[]> = {
    "/flaky": [(r) => r.writeHead(503).end(), (r) => r.writeHead(502).end()],
    "/always-503": Array(20).fill((r: ServerResponse) => r.writeHead(503).end()),
    "/not-found": [(r) => r.writeHead(404).end()],
    "/rate-limited": [(r) => r.writeHead(429, { "retry-after": "1" }).end()],
    "/busy-long": [(r) => r.writeHead(503, { "retry-after": "3600" }).end()],
    "/hang-up": [(r) => r.socket?.destroy()],
  };
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const path = req.url ?? "/";
      const n = hits.get(path) ?? 0;
      hits.set(path, n + 1);
      const step = scripts[path]?.[n];
      if (step) step(res);
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ try: n + 1 }));
    });
  });
  afterAll(async () => {
    await server.close();
    await closeHttpAgents();
  });

  async function run(path: string, spec: object, options: ExecuteOptions = {}) {
    hits.delete(path);
    const retries: RetryInfo[] = [];
    const result = await executeHttpRequest(
      { url: `${server.url}${path}`, retryDelayMs: 5, responseType: "text", ...spec },
      { allowedTargets, onRetry: (i) => retries.push(i), ...options },
    );
    return { result, retries, hits: hits.get(path) ?? 0 };
  }

  it("fails twice, then succeeds on the third try", async () => {
    const { result, retries, hits } = await run("/flaky", { maxRetries: 2 });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 3, body: { value: '{"try":3}' } });
    expect(retries).toEqual([
      { retry: 1, delayMs: 5, reason: "HTTP 503", fromRetryAfter: false },
      { retry: 2, delayMs: 5, reason: "HTTP 502", fromRetryAfter: false },
    ]);
    expect(hits).toBe(3);
  });

  it("returns the last error response when retries run out", async () => {
    const { result, hits } = await run("/always-503", { maxRetries: 2 });
    expect(result).toMatchObject({ ok: true, status: 503, attempts: 3 });
    expect(hits).toBe(3);
  });

  it("does not retry without maxRetries", async () => {
    const { result, hits } = await run("/flaky", {});
    expect(result).toMatchObject({ ok: true, status: 503, attempts: 1 });
    expect(hits).toBe(1);
  });

  it("waits by the exponential schedule", async () => {
    const { retries } = await run("/always-503", { maxRetries: 3, exponentialBackoff: true, retryDelayMs: 60_000 }, { retry: { baseDelayMs: 8 } });
    const delays = retries.map((r) => r.delayMs);
    [8, 16, 32].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
      expect(delays[i]).toBeLessThanOrEqual(Math.ceil(base * 1.2));
    });
  });

  it("retries 4xx only with retryOnAllErrors", async () => {
    expect((await run("/not-found", { maxRetries: 2 })).result).toMatchObject({ status: 404, attempts: 1 });
    expect((await run("/not-found", { maxRetries: 2, retryOnAllErrors: true })).result).toMatchObject({ status: 200, attempts: 2 });
  });

  it("honours Retry-After on 429", async () => {
    const { result, retries } = await run("/rate-limited", { maxRetries: 1, retryDelayMs: 0 });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(retries).toEqual([{ retry: 1, delayMs: 1000, reason: "HTTP 429", fromRetryAfter: true }]);
  });

  it("caps a long Retry-After", async () => {
    const { result, retries } = await run("/busy-long", { maxRetries: 1 }, { retry: { maxRetryAfterMs: 20 } });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(retries[0]).toMatchObject({ delayMs: 20, fromRetryAfter: true });
  });

  it("retries a dropped connection", async () => {
    const { result, retries } = await run("/hang-up", { maxRetries: 1 });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(retries[0].reason).toBe("connection_reset");
  });

  it("retries a refused connection, then reports it in words", async () => {
    const closed = await startLocalServer(() => {});
    await closed.close();
    const result = await executeHttpRequest({ url: `${closed.url}/x`, maxRetries: 2, retryDelayMs: 1 }, { allowedTargets });
    expect(result).toMatchObject({ ok: false, kind: "connection_refused", attempts: 3 });
    if (!result.ok) expect(result.message).toBe(`connection refused by 127.0.0.1:${closed.port} (nothing is listening there)`);
  });

  it("never retries a guard refusal", async () => {
    const result = await executeHttpRequest({ url: `${server.url}/flaky`, maxRetries: 3, retryOnAllErrors: true }, {});
    expect(result).toMatchObject({ ok: false, kind: "address_guard", attempts: 1 });
  });

  it("stops waiting when cancelled between tries", async () => {
    const controller = new AbortController();
    const pending = executeHttpRequest(
      { url: `${server.url}/always-503`, maxRetries: 5, retryDelayMs: 60_000 },
      { allowedTargets, signal: controller.signal, onRetry: () => controller.abort() },
    );
    expect(await pending).toMatchObject({ ok: false, kind: "aborted", attempts: 1 });
  });
});
