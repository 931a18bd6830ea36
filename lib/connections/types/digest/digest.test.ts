import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { executeHttpRequest } from "@/lib/http/execute";
import { createMasker, MASK } from "@/lib/http/mask";
import { loopbackAllowed } from "@/lib/http/testing/executor-helpers";
import { httpbinUrl, startLocalServer } from "@/lib/http/testing/local-server";
import type { RequestSpecInput } from "@/lib/http/spec";
import type { HttpResult } from "@/lib/http/types";
import { buildProvider, type ConnectionProvider } from "../provider";
import { digestForm } from "./form";
import { digestServer } from "./server";

/** A Digest connection as the app builds it: parsed by the form's schema, password kept apart and masked. */
function digestConnection(username: string, password: string, extra: { host?: string } = {}) {
  const { password: secret, ...input } = digestForm.schema.parse({ ...digestForm.defaults, name: "Digest", username, password, ...extra });
  const config = { ...input, allowedHosts: ["127.0.0.1"] };
  return {
    config,
    provider: buildProvider(digestServer, {
      config,
      secrets: { password: secret },
      masker: createMasker([secret]),
      expiredStatuses: [401],
      accessToken: () => Promise.reject(new Error("Digest connections hold no token")),
      session: new Map(),
    }),
  };
}

const run = (provider: ConnectionProvider, spec: RequestSpecInput) =>
  executeHttpRequest({ debug: true, ...spec }, { provider, allowedTargets: loopbackAllowed });

/** The Authorization parameters each request carried (values here have no commas). */
function sentDigest(result: HttpResult): Array<Record<string, string> | undefined> {
  return (result.requests ?? []).map((r) => {
    const value = r.headers.authorization;
    if (!value) return undefined;
    expect(value).toMatch(/^Digest /);
    return Object.fromEntries(
      value
        .slice("Digest ".length)
        .split(", ")
        .map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1).replace(/^"(.*)"$/, "$1")]),
    );
  });
}

const PASSWORD = "digest-pw-7Hq2";
let bin: string;
const shown: HttpResult[] = [];

beforeAll(() => {
  bin = httpbinUrl();
});
afterAll(() => closeHttpAgents());

async function send(provider: ConnectionProvider, spec: RequestSpecInput): Promise<HttpResult> {
  const result = await run(provider, spec);
  shown.push(result);
  return result;
}

describe("Digest against httpbin", () => {
  for (const algorithm of ["MD5", "SHA-256"]) {
    it(`signs in with ${algorithm}: the first request's 401 challenge is answered on the resend`, async () => {
      const { provider } = digestConnection("ann", PASSWORD);
      const r = await send(provider, { url: `${bin}/digest-auth/auth/ann/${PASSWORD}/${algorithm}` });
      expect(r).toMatchObject({ ok: true, status: 200, attempts: 2, output: { authenticated: true, user: "ann" } });
      const [first, second] = sentDigest(r);
      expect(first).toBeUndefined();
      expect(second).toMatchObject({ username: "ann", algorithm, qop: "auth", nc: "00000001", uri: `/digest-auth/auth/ann/${MASK}/${algorithm}` });
      expect(second?.cnonce).toMatch(/^[0-9a-f]{32}$/);
      expect(second?.opaque).toMatch(/^[0-9a-f]+$/);
      if (r.ok) expect(r.url).toBe(`${bin}/digest-auth/auth/ann/${MASK}/${algorithm}`);
    });
  }

  it("answers qop=auth-int (the body's hash in HA2)", async () => {
    const { provider } = digestConnection("ann", PASSWORD);
    const r = await send(provider, { url: `${bin}/digest-auth/auth-int/ann/${PASSWORD}/SHA-256` });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(sentDigest(r)[1]).toMatchObject({ qop: "auth-int" });
  });

  it("reuses the nonce on the next request with nc=00000002, without another 401 round trip", async () => {
    const { provider } = digestConnection("ann", PASSWORD);
    const url = `${bin}/digest-auth/auth/ann/${PASSWORD}/SHA-256`;
    const first = await send(provider, { url });
    const again = await send(provider, { url });
    expect(again).toMatchObject({ ok: true, status: 200, attempts: 1 });
    expect(again.requests).toHaveLength(1);
    const [sent] = sentDigest(again);
    expect(sent).toMatchObject({ nc: "00000002", nonce: sentDigest(first)[1]?.nonce });
    expect(sent?.cnonce).not.toBe(sentDigest(first)[1]?.cnonce);
  });

  it("resends with the new nonce when the server marks the old one stale", async () => {
    const { provider } = digestConnection("ann", PASSWORD);
    const url = `${bin}/digest-auth/auth/ann/${PASSWORD}/MD5`;
    const first = await send(provider, { url });
    const oldNonce = sentDigest(first)[1]?.nonce;
    // httpbin answers stale=TRUE to a request whose nonce equals its last_nonce cookie.
    const r = await send(provider, { url, headers: [{ key: "Cookie", value: `last_nonce=${oldNonce}` }] });
    expect(r).toMatchObject({ ok: true, status: 200, attempts: 2, output: { authenticated: true } });
    const [stale, fresh] = sentDigest(r);
    expect(stale).toMatchObject({ nonce: oldNonce, nc: "00000002" });
    expect(fresh).toMatchObject({ nc: "00000001" });
    expect(fresh?.nonce).not.toBe(oldNonce);
  });

  it("fails with the wrong password: a 401, and once a nonce is known, a refusal in words without a resend", async () => {
    const { provider } = digestConnection("ann", PASSWORD);
    const url = `${bin}/digest-auth/auth/ann/the-server-expects-this/SHA-256`;
    const first = await send(provider, { url });
    expect(first).toMatchObject({ ok: true, status: 401, attempts: 2 });
    const again = await send(provider, { url });
    expect(again).toMatchObject({
      ok: false,
      kind: "credentials",
      message: `the connection's credentials could not be refreshed: the server refused the username or password for realm "me@kennethreitz.com" (HTTP Digest)`,
    });
    expect(again.requests).toHaveLength(1);
  });
});

describe("Digest against a local server that counts", () => {
  /** Issues one nonce per 401 and records what each request carried; accepts any Digest answer with its nonce. */
  function countingServer(challenges: string[] = []) {
    const seen: Array<{ path: string; authorization?: string }> = [];
    let issued = 0;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
      const nonce = /nonce="([^"]+)"/.exec(req.headers.authorization ?? "")?.[1];
      if (!nonce?.startsWith("nonce-")) {
        issued++;
        const wait = req.url === "/slow" ? 300 : 0;
        res.writeHead(401, [
          ...challenges.flatMap((c) => ["WWW-Authenticate", c]),
          "WWW-Authenticate",
          `Digest realm="local", qop="auth", algorithm=SHA-256, nonce="nonce-${issued}"`,
        ]);
        setTimeout(() => res.end(), wait);
        return;
      }
      if (req.url === "/start") {
        res.writeHead(302, { location: "/moved?x=1" });
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issued }));
    };
    return { seen, handler, issued: () => issued };
  }

  it("answers the Digest challenge when another scheme's WWW-Authenticate line comes first", async () => {
    const peer = countingServer(['Basic realm="local"', "Negotiate"]);
    const server = await startLocalServer(peer.handler);
    try {
      const { provider } = digestConnection("ann", PASSWORD);
      const r = await send(provider, { url: `${server.url}/a` });
      expect(r).toMatchObject({ ok: true, status: 200 });
      expect(peer.seen[1].authorization).toContain('nonce="nonce-1"');
    } finally {
      await server.close();
    }
  });

  it("counts nc up across requests on one nonce, and signs each redirect hop with its own URI", async () => {
    const peer = countingServer();
    const server = await startLocalServer(peer.handler);
    try {
      const { provider } = digestConnection("ann", PASSWORD);
      for (let i = 0; i < 3; i++) expect(await send(provider, { url: `${server.url}/a` })).toMatchObject({ ok: true, status: 200 });
      const r = await send(provider, { url: `${server.url}/start` });
      expect(r).toMatchObject({ ok: true, status: 200, attempts: 1, redirects: [{ status: 302 }] });
      expect(peer.issued()).toBe(1);
      const answers = peer.seen.map((s) => s.authorization && /uri="([^"]+)".*nc=(\w+)/.exec(s.authorization)?.slice(1));
      expect(answers).toEqual([
        undefined,
        ["/a", "00000001"],
        ["/a", "00000002"],
        ["/a", "00000003"],
        ["/start", "00000004"],
        ["/moved?x=1", "00000005"],
      ]);
    } finally {
      await server.close();
    }
  });

  it("answers a first contact's challenge even when another request cached a nonce meanwhile", async () => {
    const peer = countingServer();
    const server = await startLocalServer(peer.handler);
    try {
      const { provider } = digestConnection("ann", PASSWORD);
      // Both go out without credentials; /fast finishes its handshake before /slow's 401 arrives.
      const slow = send(provider, { url: `${server.url}/slow` });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const fast = await send(provider, { url: `${server.url}/fast` });
      expect(fast).toMatchObject({ ok: true, status: 200, attempts: 2 });
      expect(await slow).toMatchObject({ ok: true, status: 200, attempts: 2 });
    } finally {
      await server.close();
    }
  });

  it("says so when the server offers no Digest challenge", async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="local"' });
      res.end();
    });
    try {
      const { provider } = digestConnection("ann", PASSWORD);
      const r = await send(provider, { url: `${server.url}/a` });
      expect(r).toMatchObject({
        ok: false,
        kind: "credentials",
        message: "the connection's credentials could not be refreshed: the server did not offer Digest authentication (its challenge: basic)",
      });
    } finally {
      await server.close();
    }
  });
});

describe("Digest descriptor", () => {
  it("shows curl's own --digest with the password masked, and the user in the summary", () => {
    const { config } = digestConnection("ann", PASSWORD, { host: "jira.internal" });
    expect(digestServer.curl(config, { password: PASSWORD })).toEqual({ kind: "options", options: ["--digest", "--user", `ann:${MASK}`] });
    expect(digestServer.summary(config)).toEqual([
      { label: "User", value: "ann" },
      { label: "Host", value: "https://jira.internal" },
    ]);
    expect(digestServer.baseUrl?.(config)).toBe("https://jira.internal");
  });

  it("requires a username and a password", () => {
    const parsed = digestForm.schema.safeParse({ ...digestForm.defaults, name: "x" });
    expect(parsed.success).toBe(false);
    const fields = parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(fields).toEqual(["username: Enter the username.", "password: Enter the password."]);
  });
});

describe("Digest secrets", () => {
  it("leaves the password out of everything shown above (results, debug output, URLs, error words)", () => {
    expect(shown.length).toBeGreaterThan(10);
    expect(JSON.stringify(shown)).not.toContain(PASSWORD);
  });
});
