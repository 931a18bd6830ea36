import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { MAX_COOKIES, RunCookieJar } from "./cookie-jar";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { generateTestCertificates, type TestCertificates } from "./testing/certificates";
import { startHttp2Server } from "./testing/http2-server";
import { httpbinUrl, startLocalServer, type LocalServer } from "./testing/local-server";

const allowedTargets = parseAllowedHosts("127.0.0.1");
// Names for the loopback peers, so domain rules have names to work on (cookies ignore ports).
const resolveHost = async (name: string) => (name.endsWith(".plugboard.test") ? [{ address: "127.0.0.1", family: 4 }] : []);
const options = (cookieJar?: RunCookieJar) => ({ allowedTargets, resolveHost, cookieJar });

describe("a run's cookie jar", () => {
  let certs: TestCertificates;
  let plain: LocalServer;
  let secure: LocalServer;

  /**
   * Sets the cookies in ?set= (whole Set-Cookie lines, | separated), ?many= numbered ones and a ?big= one of
   * that many bytes; answers with the Cookie header it got.
   */
  const handler = (
    req: http.IncomingMessage | import("node:http2").Http2ServerRequest,
    res: http.ServerResponse | import("node:http2").Http2ServerResponse,
  ) => {
    const url = new URL(req.url ?? "/", "http://x");
    const set = url.searchParams.get("set");
    const many = Number(url.searchParams.get("many") ?? 0);
    const big = Number(url.searchParams.get("big") ?? 0);
    const lines = [...(set ? set.split("|") : []), ...Array.from({ length: many }, (_, i) => `m${i}=${i}; Path=/`)];
    if (big) lines.push(`big=${"x".repeat(big)}`);
    if (lines.length) res.setHeader("set-cookie", lines);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
  };

  beforeAll(async () => {
    certs = generateTestCertificates();
    plain = await startLocalServer(handler);
    // Its certificate is for other.plugboard.test.
    secure = await startHttp2Server(handler, certs.wrongHost);
  });
  afterAll(async () => {
    await Promise.all([plain.close(), secure.close()]);
    await closeHttpAgents();
  });

  const at = (host: string, path: string) => `http://${host}:${plain.port}${path}`;

  it("sends httpbin's cookie on the redirect it sets it on, and to a later request; a request without the jar has none", async () => {
    const jar = new RunCookieJar();
    const set = await executeHttpRequest({ url: `${httpbinUrl()}/cookies/set?x=y` }, { allowedTargets, cookieJar: jar });
    expect(set).toMatchObject({ ok: true, output: { cookies: { x: "y" } } });
    const later = await executeHttpRequest({ url: `${httpbinUrl()}/cookies`, debug: true }, { allowedTargets, cookieJar: jar });
    expect(later).toMatchObject({ ok: true, output: { cookies: { x: "y" } } });
    if (later.ok) expect(later.requests?.[0]?.headers.cookie).toBe("x=y");
    expect(await executeHttpRequest({ url: `${httpbinUrl()}/cookies` }, { allowedTargets })).toMatchObject({ ok: true, output: { cookies: {} } });
    expect(await executeHttpRequest({ url: `${httpbinUrl()}/cookies` }, { allowedTargets, cookieJar: new RunCookieJar() })).toMatchObject({
      ok: true,
      output: { cookies: {} },
    });
  });

  it("follows the path and domain rules, and keeps the request's own Cookie header first", async () => {
    const jar = new RunCookieJar();
    const lines = ["p=1; Path=/only", "host=1", "wide=1; Domain=plugboard.test"].join("|");
    await executeHttpRequest({ url: at("a.plugboard.test", `/set?set=${encodeURIComponent(lines)}`) }, options(jar));
    const cookieAt = async (host: string, path: string, headers: Array<{ key: string; value: string }> = []) => {
      const r = await executeHttpRequest({ url: at(host, path), headers }, options(jar));
      return r.ok ? (r.output as { cookie: string | null }).cookie : "failed";
    };
    expect(await cookieAt("a.plugboard.test", "/only/x")).toBe("p=1; host=1; wide=1");
    expect(await cookieAt("a.plugboard.test", "/elsewhere")).toBe("host=1; wide=1");
    expect(await cookieAt("b.plugboard.test", "/only/x")).toBe("wide=1");
    expect(await cookieAt("b.plugboard.test", "/", [{ key: "Cookie", value: "mine=1" }])).toBe("mine=1; wide=1");
  });

  it("sends a Secure cookie only over https, and drops a cookie that expired", async () => {
    const jar = new RunCookieJar();
    const lines = ["s=1; Secure", "open=1", "gone=1"].join("|");
    const set = await executeHttpRequest(
      { url: `https://other.plugboard.test:${secure.port}/?set=${encodeURIComponent(lines)}`, caCertificatePem: certs.caPem },
      options(jar),
    );
    expect(set).toMatchObject({ ok: true, protocol: "HTTP/2" });
    const overHttps = await executeHttpRequest({ url: `https://other.plugboard.test:${secure.port}/`, caCertificatePem: certs.caPem }, options(jar));
    expect(overHttps).toMatchObject({ ok: true, output: { cookie: "s=1; open=1; gone=1" } });
    await executeHttpRequest({ url: at("other.plugboard.test", `/?set=${encodeURIComponent("gone=; Max-Age=0")}`) }, options(jar));
    expect(await executeHttpRequest({ url: at("other.plugboard.test", "/") }, options(jar))).toMatchObject({
      ok: true,
      output: { cookie: "open=1" },
    });
    expect((await jar.list()).map((c) => [c.name, c.secure])).toEqual([
      ["s", true],
      ["open", false],
    ]);
  });

  it("is bounded: at most MAX_COOKIES cookies, and an oversized Set-Cookie is ignored", async () => {
    const jar = new RunCookieJar();
    const set = await executeHttpRequest({ url: at("c.plugboard.test", `/?many=${MAX_COOKIES + 20}&big=5000`) }, options(jar));
    expect(set).toMatchObject({ ok: true });
    const names = (await jar.list()).map((c) => c.name);
    expect(names).toHaveLength(MAX_COOKIES);
    expect(names).not.toContain("big");
    // A cookie already there can still change when the jar is full.
    await executeHttpRequest({ url: at("c.plugboard.test", "/?set=m0=changed") }, options(jar));
    expect((await jar.list()).find((c) => c.name === "m0")?.value).toBe("changed");
  });
});
