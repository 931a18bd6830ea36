import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTinyproxy, startTlsFront, type Tinyproxy, type TlsFront } from "@/e2e/support/tinyproxy";
import { parseAllowedHosts } from "../address-guard";
import { closeHttpAgents, type ResolveHost } from "../dispatcher";
import { executeHttpRequest } from "../execute";
import { reloadInstanceProxy } from "./proxy-plan";
import { generateTestCertificates, type TestCertificates } from "../testing/certificates";
import { fail, loopbackAllowed, send } from "../testing/executor-helpers";
import { paginate } from "../paginate";
import { httpbinUrl, startLocalServer, type LocalServer } from "../testing/local-server";

/**
 * The executor behind a real HTTP proxy (Debian's tinyproxy, with Basic authentication): its log proves
 * which calls went through it and that refused targets never reached it.
 */
const USER = "proxy-user";
const PASSWORD = "proxy-pa55word";
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"] as const;

let proxy: Tinyproxy;
/** The same tinyproxy behind stunnel: an https:// proxy URL (its CA is trusted through NODE_EXTRA_CA_CERTS). */
let tlsProxy: TlsFront;
let certs: TestCertificates;
let tlsServer: LocalServer;
let namedServer: LocalServer;

const withAuth = () => `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`;
// Names only our resolver knows: the proxy can reach them only when it is sent the checked address.
const resolveTestNames: ResolveHost = async (host) => {
  if (host === "other.plugboard.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "public.plugboard.test") return [{ address: "93.184.216.34", family: 4 }];
  if (host === "internal.plugboard.test") return [{ address: "10.1.2.3", family: 4 }];
  if (host === "proxy.plugboard.test") return [{ address: "127.0.0.1", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

function useInstanceProxy(vars: Partial<Record<(typeof PROXY_VARIABLES)[number], string>>) {
  for (const [name, value] of Object.entries(vars)) process.env[name] = value;
  reloadInstanceProxy();
}

describe("requests through an HTTP proxy", () => {
  beforeAll(async () => {
    certs = generateTestCertificates();
    const hello = (_: unknown, res: import("node:http").ServerResponse) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"secure":true}');
    [proxy, tlsServer, namedServer] = await Promise.all([
      startTinyproxy({ auth: { username: USER, password: PASSWORD } }),
      startLocalServer(hello, certs.signed),
      startLocalServer(hello, certs.wrongHost),
    ]);
    tlsProxy = await startTlsFront(proxy, {
      certFile: process.env.TEST_PROXY_TLS_CERT_FILE as string,
      keyFile: process.env.TEST_PROXY_TLS_KEY_FILE as string,
    });
  });
  afterEach(async () => {
    for (const name of PROXY_VARIABLES) delete process.env[name];
    reloadInstanceProxy();
    await closeHttpAgents();
  });
  afterAll(async () => {
    await Promise.all([tlsProxy.stop(), proxy.stop(), tlsServer.close(), namedServer.close()]);
  });

  it("forwards an http:// request to the instance proxy (HTTP_PROXY with credentials) and says so", async () => {
    useInstanceProxy({ http_proxy: withAuth() });
    const before = proxy.requests().length;
    const r = await send({ url: `${httpbinUrl()}/anything/through`, debug: true });
    expect(r.status).toBe(200);
    expect(proxy.requests().slice(before)).toEqual([`GET ${httpbinUrl()}/anything/through HTTP/1.1`]);
    expect(r.proxy).toBe(`instance proxy http://127.0.0.1:${proxy.port} (with proxy credentials)`);
    expect(JSON.stringify(r)).not.toContain(USER);
    expect(r.requests?.[0].proxy).toBe(r.proxy);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it("follows redirects through the proxy, each hop a request it forwards", async () => {
    useInstanceProxy({ HTTP_PROXY: withAuth() });
    const before = proxy.requests().length;
    const r = await send({ url: `${httpbinUrl()}/redirect-to?url=${encodeURIComponent("/anything/landed")}` });
    expect(r.status).toBe(200);
    expect(proxy.requests().slice(before)).toEqual([
      `GET ${httpbinUrl()}/redirect-to?url=%2Fanything%2Flanded HTTP/1.1`,
      `GET ${httpbinUrl()}/anything/landed HTTP/1.1`,
    ]);
  });

  it("tunnels https:// with CONNECT; the target's CA still applies, and ignoring TLS errors keeps the proxy", async () => {
    useInstanceProxy({ HTTPS_PROXY: withAuth() });
    const before = proxy.requests().length;
    const trusted = await send({ url: `${tlsServer.url}/`, caCertificatePem: certs.caPem });
    expect(trusted.output).toEqual({ secure: true });
    const untrusted = await fail({ url: `${tlsServer.url}/` });
    expect(untrusted.kind).toBe("tls");
    const ignored = await send({ url: `${tlsServer.url}/`, ignoreSslErrors: true });
    expect(ignored.proxy).toContain("instance proxy");
    expect(proxy.requests().slice(before)).toEqual(Array(3).fill(`CONNECT 127.0.0.1:${tlsServer.port} HTTP/1.1`));
  });

  it("reaches NO_PROXY hosts directly (curl's rules: names with sub-domains, CIDRs, ports)", async () => {
    useInstanceProxy({ HTTP_PROXY: withAuth(), NO_PROXY: "example.com, 127.0.0.0/8" });
    const before = proxy.connections();
    const r = await send({ url: `${httpbinUrl()}/get` });
    expect(r.status).toBe(200);
    expect(r.proxy).toBeUndefined();
    expect(proxy.connections()).toBe(before);
  });

  it("refuses a guarded target before the proxy sees anything, names and addresses alike", async () => {
    useInstanceProxy({ HTTP_PROXY: withAuth(), HTTPS_PROXY: withAuth() });
    const before = proxy.connections();
    const metadata = await fail({ url: "http://169.254.169.254/latest/meta-data/" });
    expect(metadata.kind).toBe("address_guard");
    const privateName = await fail({ url: "https://internal.plugboard.test/" }, { resolveHost: resolveTestNames });
    expect(privateName.kind).toBe("address_guard");
    expect(privateName.message).toContain("internal.plugboard.test resolves to 10.1.2.3");
    expect(proxy.connections()).toBe(before);
  });

  it("with PLUGBOARD_PROXY_RESOLVE=local sends the proxy the checked address; SNI and the certificate keep the name", async () => {
    useInstanceProxy({ HTTPS_PROXY: withAuth() });
    const before = proxy.requests().length;
    const r = await send(
      { url: `https://other.plugboard.test:${namedServer.port}/`, caCertificatePem: certs.caPem },
      { resolveHost: resolveTestNames, proxyResolve: "local" },
    );
    expect(r.output).toEqual({ secure: true });
    expect(proxy.requests().slice(before)).toEqual([`CONNECT 127.0.0.1:${namedServer.port} HTTP/1.1`]);
  });

  it("holds a team's proxy to the address guard: a loopback proxy not allowed by an admin is never dialled", async () => {
    const before = proxy.connections();
    const r = await executeHttpRequest(
      { url: "http://public.plugboard.test/get" },
      { proxy: { mode: "custom", url: proxy.url }, resolveHost: resolveTestNames, allowedTargets: parseAllowedHosts("") },
    );
    expect(r).toMatchObject({ ok: false, kind: "address_guard" });
    if (!r.ok) expect(r.message).toContain("the proxy 127.0.0.1");
    expect(proxy.connections()).toBe(before);
  });

  it("judges a team proxy's name by the addresses it resolves to, when the socket to it is opened", async () => {
    const named = { mode: "custom" as const, url: `http://proxy.plugboard.test:${proxy.port}` };
    const before = proxy.connections();
    const refused = await executeHttpRequest(
      { url: "http://public.plugboard.test/get" },
      { proxy: named, resolveHost: resolveTestNames, allowedTargets: parseAllowedHosts("") },
    );
    expect(refused).toMatchObject({ ok: false, kind: "address_guard" });
    if (!refused.ok) expect(refused.message).toContain("proxy.plugboard.test resolves to 127.0.0.1");
    expect(proxy.connections()).toBe(before);
  });

  it("a request's own choice wins: none goes direct even with an instance proxy", async () => {
    useInstanceProxy({ HTTP_PROXY: withAuth() });
    const before = proxy.connections();
    const r = await send({ url: `${httpbinUrl()}/get`, proxy: { mode: "none" } });
    expect(r.proxy).toBeUndefined();
    expect(proxy.connections()).toBe(before);
  });

  it("sends every page of a paginated request through the proxy", async () => {
    useInstanceProxy({ HTTP_PROXY: withAuth() });
    // httpbin echoes a Link header it is given: page 1 links to 2, 2 to 3, 3 to nothing.
    const page = (n: number, next?: string) =>
      `${httpbinUrl()}/response-headers?page=${n}${next ? `&Link=${encodeURIComponent(`<${next}>; rel="next"`)}` : ""}`;
    const first = page(1, page(2, page(3)));
    const before = proxy.requests().length;
    const result = await paginate({ url: first }, { mode: "linkHeader", maxPages: 5 }, (spec) =>
      executeHttpRequest(spec, { allowedTargets: loopbackAllowed }),
    );
    expect(result).toMatchObject({ ok: true, stoppedBecause: "no_next" });
    expect(result.pages).toHaveLength(3);
    expect(result.pages.map((p) => p.proxy)).toEqual(Array(3).fill(`instance proxy http://127.0.0.1:${proxy.port} (with proxy credentials)`));
    expect(
      proxy
        .requests()
        .slice(before)
        .map((line) => new URL(line.split(" ")[1]).searchParams.get("page")),
    ).toEqual(["1", "2", "3"]);
  });

  it("speaks TLS to an https:// proxy: credentials and CONNECT inside it, and the proxy's certificate is checked", async () => {
    const secureProxy = { mode: "custom" as const, url: tlsProxy.url, username: USER, password: PASSWORD };
    const before = proxy.requests().length;
    const plain = await send({ url: `${httpbinUrl()}/anything/over-tls` }, { proxy: secureProxy });
    expect(plain.status).toBe(200);
    expect(plain.proxy).toBe(`proxy ${tlsProxy.url} (with proxy credentials)`);
    const tunnelled = await send({ url: `${tlsServer.url}/`, caCertificatePem: certs.caPem }, { proxy: secureProxy });
    expect(tunnelled.output).toEqual({ secure: true });
    // Through an https:// proxy undici tunnels http:// targets too.
    expect(proxy.requests().slice(before)).toEqual([
      `CONNECT ${new URL(httpbinUrl()).host} HTTP/1.1`,
      `CONNECT 127.0.0.1:${tlsServer.port} HTTP/1.1`,
    ]);

    // The certificate names 127.0.0.1 only: under another name the handshake fails and nothing reaches the proxy.
    const connections = proxy.connections();
    const misnamed = await fail(
      { url: `${httpbinUrl()}/get` },
      { proxy: { ...secureProxy, url: `https://proxy.plugboard.test:${tlsProxy.port}` }, resolveHost: resolveTestNames },
    );
    // Said of the proxy, not of the target: the request's own TLS options would not change it.
    expect(misnamed.kind).toBe("proxy");
    expect(misnamed.message).toMatch(
      new RegExp(
        `^TLS error with the proxy proxy\\.plugboard\\.test:${tlsProxy.port}: hostname mismatch: the proxy's certificate is not valid for this host`,
      ),
    );
    expect(misnamed.message).toContain("NODE_EXTRA_CA_CERTS");
    expect(misnamed.message).not.toContain(new URL(httpbinUrl()).host);
    expect(JSON.stringify(misnamed)).not.toContain(PASSWORD);
    expect(proxy.connections()).toBe(connections);
  });

  it("names the proxy when nothing listens at its address, forwarded or tunnelled", async () => {
    const closed = await startLocalServer((_, res) => res.end());
    await closed.close();
    const dead = { mode: "custom" as const, url: `http://127.0.0.1:${closed.port}` };
    const forwarded = await fail({ url: `${httpbinUrl()}/get` }, { proxy: dead });
    const tunnelled = await fail({ url: `${tlsServer.url}/`, caCertificatePem: certs.caPem }, { proxy: dead });
    for (const r of [forwarded, tunnelled])
      expect(r).toMatchObject({
        kind: "connection_refused",
        message: `connection refused by the proxy 127.0.0.1:${closed.port} (nothing is listening there)`,
      });
  });

  // Last: a refused proxy login leaves undici's attempt to close late, which would show in a later count.
  it("uses a connection's own proxy with its Basic credentials; a wrong password is a clear failure", async () => {
    const before = proxy.requests().length;
    const custom = { mode: "custom" as const, url: proxy.url, username: USER, password: PASSWORD };
    const r = await send({ url: `${httpbinUrl()}/anything/custom` }, { proxy: custom });
    expect(r.proxy).toBe(`proxy http://127.0.0.1:${proxy.port} (with proxy credentials)`);
    expect(proxy.requests().slice(before)).toEqual([`GET ${httpbinUrl()}/anything/custom HTTP/1.1`]);
    const wrongPassword = await fail({ url: `${tlsServer.url}/`, caCertificatePem: certs.caPem }, { proxy: { ...custom, password: "wrong-pa55" } });
    expect(wrongPassword).toMatchObject({ kind: "proxy", attempts: 1 });
    expect(wrongPassword.message).toMatch(
      /^the proxy did not carry the request to 127\.0\.0\.1:\d+: it requires valid proxy credentials \(HTTP 40[17]\)/,
    );
    expect(JSON.stringify(wrongPassword)).not.toContain("wrong-pa55");
    const noCredentials = await fail({ url: `${httpbinUrl()}/anything/custom`, maxRetries: 2 }, { proxy: { mode: "custom", url: proxy.url } });
    expect(noCredentials).toMatchObject({ kind: "proxy", attempts: 1 });
  });
});
