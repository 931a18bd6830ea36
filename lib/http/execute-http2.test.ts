import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { generateTestCertificates, type TestCertificates } from "./testing/certificates";
import { startHttp2Server } from "./testing/http2-server";
import type { LocalServer } from "./testing/local-server";

const allowedTargets = parseAllowedHosts("127.0.0.1");

describe("HTTP/2", () => {
  let certs: TestCertificates;
  let server: LocalServer;
  /** The version each request reached the server with ("2.0" or "1.1"). */
  const seen: string[] = [];

  beforeAll(async () => {
    certs = generateTestCertificates();
    // The certificate is for other.plugboard.test: tests reach it by name, through the guard's resolver.
    server = await startHttp2Server((req, res) => {
      seen.push(req.httpVersion);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ httpVersion: req.httpVersion, method: req.method, body: Buffer.concat(chunks).toString() }));
      });
    }, certs.wrongHost);
  });
  afterAll(async () => {
    await server.close();
    await closeHttpAgents();
  });

  let lookups = 0;
  const resolveHost = async (name: string) => {
    lookups++;
    return name === "other.plugboard.test" ? [{ address: "127.0.0.1", family: 4 }] : [];
  };
  const url = () => `https://other.plugboard.test:${server.port}`;
  const trusted = () => ({ caCertificatePem: certs.caPem });

  it("speaks HTTP/2 to a TLS server that offers it, and says so in the result, its timings and debug output", async () => {
    seen.length = 0;
    const r = await executeHttpRequest({ url: `${url()}/a`, ...trusted(), debug: true }, { allowedTargets, resolveHost });
    expect(r).toMatchObject({ ok: true, status: 200, protocol: "HTTP/2", output: { httpVersion: "2.0" } });
    if (!r.ok) return;
    expect(seen).toEqual(["2.0"]);
    expect(r.timings.exchanges?.map((e) => e.protocol)).toEqual(["HTTP/2"]);
    expect(r.requests?.map((q) => q.protocol)).toEqual(["HTTP/2"]);
  });

  it("sends a body over HTTP/2", async () => {
    const r = await executeHttpRequest(
      { method: "POST", url: `${url()}/b`, body: { type: "raw", contentType: "text", text: "hello h2" }, ...trusted() },
      { allowedTargets, resolveHost },
    );
    expect(r).toMatchObject({ ok: true, protocol: "HTTP/2", output: { httpVersion: "2.0", method: "POST", body: "hello h2" } });
  });

  it("stays on HTTP/1.1 with Force HTTP/1.1", async () => {
    seen.length = 0;
    const r = await executeHttpRequest({ url: `${url()}/c`, ...trusted(), forceHttp1: true, debug: true }, { allowedTargets, resolveHost });
    expect(r).toMatchObject({ ok: true, protocol: "HTTP/1.1", output: { httpVersion: "1.1" } });
    expect(seen).toEqual(["1.1"]);
    if (r.ok) expect(r.requests?.map((q) => q.protocol)).toEqual(["HTTP/1.1"]);
  });

  it("stays on HTTP/1.1 when the request carries a header HTTP/2 forbids (Connection), instead of failing", async () => {
    const r = await executeHttpRequest(
      { url: `${url()}/d`, ...trusted(), headers: [{ key: "Connection", value: "keep-alive" }] },
      { allowedTargets, resolveHost },
    );
    expect(r).toMatchObject({ ok: true, protocol: "HTTP/1.1", output: { httpVersion: "1.1" } });
    const te = (value: string) =>
      executeHttpRequest({ url: `${url()}/d`, ...trusted(), headers: [{ key: "TE", value }] }, { allowedTargets, resolveHost });
    expect(await te("gzip")).toMatchObject({ ok: true, protocol: "HTTP/1.1" });
    expect(await te("trailers")).toMatchObject({ ok: true, protocol: "HTTP/2" });
  });

  it("says HTTP/1.1 for a plain http target", async () => {
    const { startLocalServer } = await import("./testing/local-server");
    const plain = await startLocalServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    try {
      expect(await executeHttpRequest({ url: `${plain.url}/` }, { allowedTargets })).toMatchObject({ ok: true, protocol: "HTTP/1.1" });
    } finally {
      await plain.close();
    }
  });

  it("opens HTTP/2 sessions through the guarded connector: the guard's lookup is used, a refused address is refused", async () => {
    await closeHttpAgents(); // no pooled session: this request must connect
    lookups = 0;
    const ok = await executeHttpRequest({ url: `${url()}/e`, ...trusted() }, { allowedTargets, resolveHost });
    expect(ok).toMatchObject({ ok: true, protocol: "HTTP/2" });
    expect(lookups).toBe(1);
    // Without 127.0.0.1 in the allow-list the same h2 target is refused, by name and by address.
    const byName = await executeHttpRequest({ url: `${url()}/f`, ...trusted() }, { resolveHost });
    expect(byName).toMatchObject({ ok: false, kind: "address_guard" });
    const byAddress = await executeHttpRequest({ url: `${server.url}/g`, ignoreSslErrors: true }, {});
    expect(byAddress).toMatchObject({ ok: false, kind: "address_guard" });
  });
});
