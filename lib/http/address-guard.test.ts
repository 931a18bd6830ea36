import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAddress, checkHost, checkResolved, parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { startLocalServer, type LocalServer } from "./testing/local-server";

const REFUSED: [target: string, reason: RegExp][] = [
  ["127.0.0.1", /loopback/],
  ["127.255.255.254", /loopback/],
  ["2130706433", /127\.0\.0\.1 is a loopback/],
  ["0x7f.1", /127\.0\.0\.1 is a loopback/],
  ["0177.0.0.1", /127\.0\.0\.1 is a loopback/],
  ["127.1", /127\.0\.0\.1 is a loopback/],
  ["0x7f000001", /loopback/],
  ["10.0.0.1", /private address \(10\.0\.0\.0\/8\)/],
  ["172.16.0.1", /private address \(172\.16\.0\.0\/12\)/],
  ["172.31.255.255", /private/],
  ["192.168.1.1", /private address \(192\.168\.0\.0\/16\)/],
  ["100.64.0.1", /carrier-grade NAT/],
  ["100.100.100.200", /carrier-grade NAT/],
  ["169.254.1.1", /link-local/],
  ["169.254.169.254", /cloud metadata address/],
  ["0.0.0.0", /unspecified/],
  ["0", /0\.0\.0\.0 is the unspecified/],
  ["0.1.2.3", /this network/],
  ["255.255.255.255", /broadcast/],
  ["224.0.0.1", /multicast/],
  ["240.0.0.1", /reserved address \(240/],
  ["192.0.2.1", /documentation/],
  ["198.18.0.1", /benchmarking/],
  ["192.0.0.192", /IETF protocol/],
  ["[::1]", /::1 is a loopback/],
  ["[::]", /unspecified/],
  ["[fe80::1]", /link-local address \(fe80/],
  ["[fc00::1]", /unique-local/],
  ["[fd12:3456::1]", /unique-local/],
  ["[ff02::1]", /multicast/],
  ["[fd00:ec2::254]", /cloud metadata/],
  ["[::ffff:127.0.0.1]", /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
  ["[::ffff:a9fe:a9fe]", /IPv4-mapped form of 169\.254\.169\.254, the cloud metadata/],
  ["[::127.0.0.1]", /IPv4-compatible form of 127\.0\.0\.1/],
  ["[::ffff:0:10.0.0.1]", /IPv4-translated form of 10\.0\.0\.1/],
  ["[64:ff9b::10.0.0.1]", /NAT64 form of 10\.0\.0\.1, a private/],
  ["[2002:c0a8:101::1]", /6to4 form of 192\.168\.1\.1/],
  ["[2001:db8::1]", /documentation/],
  ["[2001:0:4136:e378:8000:63bf:3fff:fdd2]", /Teredo/],
  ["metadata.google.internal", /cloud metadata host name/],
  ["METADATA.GOOGLE.INTERNAL.", /cloud metadata host name/],
];

describe("address guard: refused targets", () => {
  it.each(REFUSED)("refuses %s", (target, reason) => {
    const verdict = checkHost(target);
    expect(verdict).not.toBe("resolve");
    if (verdict === "resolve" || verdict.allowed) throw new Error(`${target} was not refused`);
    expect(verdict.message).toMatch(/^refused by the address guard: /);
    expect(verdict.message).toMatch(reason);
    expect(verdict.message).toMatch(/add it to PLUGBOARD_ALLOWED_HOSTS to allow it$/);
  });

  it("words a refusal the way the product promises", () => {
    expect(checkHost("127.0.0.1")).toEqual({
      allowed: false,
      reason: "a loopback address",
      message: "refused by the address guard: 127.0.0.1 is a loopback address; add it to PLUGBOARD_ALLOWED_HOSTS to allow it",
    });
  });
});

describe("address guard: allowed targets", () => {
  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "192.169.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("passes the public address %s", (ip) => {
    expect(checkAddress(ip)).toEqual({ allowed: true });
  });

  it("leaves ordinary names to be judged after DNS", () => {
    expect(checkHost("api.example.com")).toBe("resolve");
    expect(checkHost("localhost")).toBe("resolve");
  });

  it("refuses a name when any one of its addresses is internal", () => {
    const verdict = checkResolved("evil.test", ["93.184.215.14", "127.0.0.1"]);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.message).toContain("evil.test resolves to 127.0.0.1, a loopback address");
    expect(checkResolved("good.test", ["93.184.215.14", "2606:4700:4700::1111"])).toEqual({ allowed: true });
  });
});

describe("parseAllowedHosts", () => {
  const allow = parseAllowedHosts("localhost, 127.0.0.1/32,10.0.0.0/8 *.corp.example,fd00::/8");

  it("allows listed names, wildcards, addresses and CIDRs", () => {
    expect(checkHost("localhost", allow)).toEqual({ allowed: true });
    expect(checkHost("LOCALHOST.", allow)).toEqual({ allowed: true });
    expect(checkHost("127.0.0.1", allow)).toEqual({ allowed: true });
    expect(checkHost("[::ffff:127.0.0.1]", allow)).toEqual({ allowed: true });
    expect(checkHost("10.200.3.4", allow)).toEqual({ allowed: true });
    expect(checkHost("api.corp.example", allow)).toEqual({ allowed: true });
    expect(checkHost("[fd12::1]", allow)).toEqual({ allowed: true });
    expect(checkResolved("db.corp.example", ["192.168.5.5"], allow)).toEqual({ allowed: true });
  });

  it("does not widen what it lists", () => {
    expect(checkHost("127.0.0.2", allow)).toMatchObject({ allowed: false });
    expect(checkHost("192.168.0.1", allow)).toMatchObject({ allowed: false });
    expect(checkHost("corp.example", allow)).toBe("resolve"); // *.corp.example is sub-domains only
    expect(checkHost("evilcorp.example", allow)).toBe("resolve");
  });

  it("opens cloud metadata only when listed exactly", () => {
    const wide = parseAllowedHosts("169.254.0.0/16,*.internal");
    expect(checkHost("169.254.10.10", wide)).toEqual({ allowed: true });
    expect(checkHost("169.254.169.254", wide)).toMatchObject({ allowed: false, metadata: true });
    expect(checkHost("metadata.google.internal", wide)).toMatchObject({ allowed: false });
    expect(checkResolved("x.internal", ["169.254.169.254"], wide)).toMatchObject({ allowed: false });
    const exact = parseAllowedHosts("169.254.169.254,metadata.google.internal");
    expect(checkHost("169.254.169.254", exact)).toEqual({ allowed: true });
    expect(checkHost("metadata.google.internal", exact)).toEqual({ allowed: true });
  });

  it("rejects malformed entries, naming each", () => {
    expect(() => parseAllowedHosts("10.0.0.0/33,http://x,ok.example,a b!")).toThrow(
      /"10\.0\.0\.0\/33" has an invalid prefix length.*"http:\/\/x" is not a host name.*"b!" is not/,
    );
    expect(parseAllowedHosts("").entries).toEqual([]);
    expect(parseAllowedHosts(["a.example", " b.example "]).entries).toEqual(["a.example", "b.example"]);
  });

  it("parses the configured text once: the same text gives the same read-only list", () => {
    const first = parseAllowedHosts("cached.example,10.9.0.0/16");
    expect(parseAllowedHosts("cached.example,10.9.0.0/16")).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.entries)).toBe(true);
    expect(parseAllowedHosts("other.example")).not.toBe(first);
  });
});

describe("address guard on real connections", () => {
  let server: LocalServer;
  let hits: string[];
  beforeAll(async () => {
    hits = [];
    server = await startLocalServer((req, res) => {
      hits.push(req.url ?? "");
      if (req.url?.startsWith("/to/")) {
        res.writeHead(302, { location: decodeURIComponent(req.url.slice(4)) }).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ host: req.headers.host }));
    });
  });
  afterAll(async () => {
    await server.close();
    await closeHttpAgents();
  });

  it("refuses loopback by default, before connecting", async () => {
    const before = hits.length;
    const result = await executeHttpRequest({ url: `${server.url}/x` });
    expect(result).toMatchObject({ ok: false, kind: "address_guard" });
    if (!result.ok)
      expect(result.message).toBe("refused by the address guard: 127.0.0.1 is a loopback address; add it to PLUGBOARD_ALLOWED_HOSTS to allow it");
    expect(hits.length).toBe(before);
  });

  it("refuses odd IPv4 notations of loopback, and reaches the server through them once allowed", async () => {
    const refused = await executeHttpRequest({ url: `http://2130706433:${server.port}/x` });
    expect(refused).toMatchObject({ ok: false, kind: "address_guard" });
    const allowed = await executeHttpRequest({ url: `http://0x7f.1:${server.port}/odd` }, { allowedTargets: parseAllowedHosts("127.0.0.1/32") });
    expect(allowed).toMatchObject({ ok: true, status: 200 });
    expect(hits).toContain("/odd");
  });

  it("judges a name by what it resolves to: localhost is loopback", async () => {
    const result = await executeHttpRequest({ url: `http://localhost:${server.port}/x` });
    expect(result).toMatchObject({ ok: false, kind: "address_guard" });
    if (!result.ok)
      expect(result.message).toMatch(
        /localhost resolves to (127\.0\.0\.1|::1), a loopback address; add localhost or that address to PLUGBOARD_ALLOWED_HOSTS/,
      );
  });

  it("connects to the very address the guard checked (custom resolver, pinned)", async () => {
    const resolved: string[] = [];
    const resolveHost = async (name: string) => {
      resolved.push(name);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const refused = await executeHttpRequest({ url: `http://api.plugboard.test:${server.port}/x` }, { resolveHost });
    expect(refused).toMatchObject({ ok: false, kind: "address_guard" });
    if (!refused.ok) expect(refused.message).toContain("api.plugboard.test resolves to 127.0.0.1, a loopback address");
    const allowed = await executeHttpRequest(
      { url: `http://api.plugboard.test:${server.port}/pinned` },
      { resolveHost, allowedTargets: parseAllowedHosts("127.0.0.1") },
    );
    expect(allowed).toMatchObject({ ok: true, status: 200, output: { host: `api.plugboard.test:${server.port}` } });
    expect(resolved).toEqual(["api.plugboard.test", "api.plugboard.test"]);
  });

  it("refuses a name resolving to a mix of public and private addresses", async () => {
    const resolveHost = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    const result = await executeHttpRequest({ url: "http://mixed.plugboard.test/" }, { resolveHost });
    expect(result).toMatchObject({ ok: false, kind: "address_guard" });
    if (!result.ok) expect(result.message).toContain("mixed.plugboard.test resolves to 10.1.2.3, a private address (10.0.0.0/8)");
  });

  it.each([
    ["another loopback address", "http://127.0.0.2:{port}/x", /127\.0\.0\.2 is a loopback/],
    ["the metadata service", "http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254 is the cloud metadata address/],
    ["an IPv6 loopback", "http://[::1]:{port}/x", /::1 is a loopback/],
    ["a private network", "http://10.0.0.1/admin", /10\.0\.0\.1 is a private address/],
  ])("refuses a redirect from an allowed host to %s", async (_, target, reason) => {
    const location = encodeURIComponent(target.replace("{port}", String(server.port)));
    const result = await executeHttpRequest({ url: `${server.url}/to/${location}` }, { allowedTargets: parseAllowedHosts("127.0.0.1") });
    expect(result).toMatchObject({ ok: false, kind: "address_guard" });
    if (!result.ok) {
      expect(result.message).toMatch(reason);
      expect(result.redirects).toHaveLength(1);
    }
  });
});
