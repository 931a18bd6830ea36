import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { createMasker, MASK } from "./mask";
import { httpbinUrl, readRequestBody, startLocalServer, type LocalServer } from "./testing/local-server";
import type { CredentialProvider, ExecuteOptions } from "./types";

const allowedTargets = parseAllowedHosts("127.0.0.1");
let bin: string;

/** A provider like the connections module will build: records its calls, secrets listed for masking. */
function provider(fields: Partial<CredentialProvider> & Pick<CredentialProvider, "apply" | "masker">): CredentialProvider {
  return { allowedHosts: ["127.0.0.1"], ...fields };
}

const basic = (user: string, pass: string) =>
  provider({
    apply: async ({ headers }) => headers.set("authorization", `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`),
    masker: createMasker([pass]),
  });

const bearer = (token: string) =>
  provider({
    apply: async ({ headers }) => headers.set("authorization", `Bearer ${token}`),
    masker: createMasker([token]),
  });

const run = (spec: Parameters<typeof executeHttpRequest>[0], options: ExecuteOptions) => executeHttpRequest(spec, { allowedTargets, ...options });

beforeAll(() => {
  bin = httpbinUrl();
});
afterAll(() => closeHttpAgents());

describe("credentials from a provider", () => {
  it("signs in with basic auth and masks the password in debug output", async () => {
    const r = await run({ url: `${bin}/basic-auth/ada/s3cret-pass`, debug: true }, { provider: basic("ada", "s3cret-pass") });
    expect(r).toMatchObject({ ok: true, status: 200, output: { authenticated: true, user: "ada" } });
    if (!r.ok) return;
    expect(r.requests?.[0].headers.authorization).toBe(`Basic ${MASK}`);
    expect(r.requests?.[0].url).toBe(`${bin}/basic-auth/ada/${MASK}`);
    expect(r.url).toBe(`${bin}/basic-auth/ada/${MASK}`);
    expect(JSON.stringify(r.requests)).not.toContain("s3cret-pass");
  });

  it("fails basic auth with the wrong password (a 401 answer, refreshed once)", async () => {
    const r = await run({ url: `${bin}/basic-auth/ada/right` }, { provider: basic("ada", "wrong") });
    expect(r).toMatchObject({ ok: true, status: 401, attempts: 2 });
  });

  it("sends a bearer token", async () => {
    const r = await run({ url: `${bin}/bearer`, debug: true }, { provider: bearer("tok-123456") });
    expect(r).toMatchObject({ ok: true, status: 200, output: { authenticated: true, token: "tok-123456" } });
    if (r.ok) expect(r.requests?.[0].headers.authorization).toBe(`Bearer ${MASK}`);
    const without = await run({ url: `${bin}/bearer`, responseType: "text" }, {});
    expect(without).toMatchObject({ ok: true, status: 401 });
  });

  it("masks a credential query parameter everywhere it shows", async () => {
    const p = provider({ apply: async ({ url }) => url.searchParams.set("api_key", "k/ey+1 2"), masker: createMasker(["k/ey+1 2"]) });
    const r = await run({ url: `${bin}/get`, debug: true }, { provider: p });
    expect(r).toMatchObject({ ok: true, output: { args: { api_key: "k/ey+1 2" } } });
    if (!r.ok) return;
    expect(r.url).toBe(`${bin}/get?api_key=${MASK}`);
    expect(r.requests?.[0].url).toBe(`${bin}/get?api_key=${MASK}`);
  });

  it("resolves a relative URL against the connection's base URL", async () => {
    const p = provider({ baseUrl: `${bin}/anything/v2/`, apply: async () => {}, masker: createMasker([]) });
    const r = await run({ url: "/users", query: [{ key: "page", value: "2" }] }, { provider: p });
    expect(r).toMatchObject({ ok: true, url: `${bin}/anything/v2/users?page=2` });
  });

  it("says when the connection's credentials cannot be applied", async () => {
    const broken = provider({
      apply: async () => {
        throw new Error("the refresh token was revoked");
      },
      masker: createMasker([]),
    });
    const r = await run({ url: `${bin}/get`, maxRetries: 2, retryDelayMs: 1 }, { provider: broken });
    expect(r).toMatchObject({
      ok: false,
      kind: "credentials",
      attempts: 1,
      message: "the connection's credentials could not be applied: the refresh token was revoked",
    });
  });

  it("refuses a host the connection does not allow, before sending anything", async () => {
    let applied = 0;
    const p = provider({ allowedHosts: ["api.example.com", "*.example.com"], apply: async () => void applied++, masker: createMasker([]) });
    const r = await run({ url: `${bin}/get` }, { provider: p });
    expect(r).toMatchObject({ ok: false, kind: "host_not_allowed", attempts: 0 });
    if (!r.ok)
      expect(r.message).toBe(
        `host not allowed for this connection: ${new URL(bin).host} is not one of its allowed hosts (api.example.com, *.example.com)`,
      );
    expect(applied).toBe(0);
  });
});

describe("expired credentials", () => {
  let server: LocalServer;
  let seen: (string | undefined)[];
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      seen.push(req.headers.authorization);
      const ok = req.headers.authorization === "Bearer fresh" || req.url === "/always-ok";
      res.writeHead(ok ? 200 : req.url === "/forbidden" ? 403 : 401, { "content-type": "application/json" }).end(JSON.stringify({ ok }));
    });
  });
  afterAll(() => server.close());

  const refreshing = (calls: boolean[], statuses?: number[]) =>
    provider({
      apply: async ({ headers }, { forceRefresh }) => {
        calls.push(forceRefresh);
        headers.set("authorization", `Bearer ${forceRefresh ? "fresh" : "stale"}`);
      },
      masker: createMasker(["stale", "fresh"]),
      expiredStatuses: statuses,
    });

  it("refreshes once on 401 and resends", async () => {
    seen = [];
    const calls: boolean[] = [];
    const r = await run({ url: `${server.url}/data` }, { provider: refreshing(calls) });
    expect(r).toMatchObject({ ok: true, status: 200, attempts: 2, output: { ok: true } });
    expect(calls).toEqual([false, true]);
    expect(seen).toEqual(["Bearer stale", "Bearer fresh"]);
  });

  it("refreshes only once when the server keeps refusing", async () => {
    seen = [];
    const calls: boolean[] = [];
    const stubborn = provider({
      apply: async ({ headers }, { forceRefresh }) => {
        calls.push(forceRefresh);
        headers.set("authorization", "Bearer revoked");
      },
      masker: createMasker(["revoked"]),
    });
    const r = await run({ url: `${server.url}/data`, maxRetries: 3, retryDelayMs: 0 }, { provider: stubborn });
    expect(r).toMatchObject({ ok: true, status: 401, attempts: 2 });
    expect(calls).toEqual([false, true]);
  });

  it("treats only the provider's expired statuses as expiry", async () => {
    const byDefault: boolean[] = [];
    const r1 = await run({ url: `${server.url}/forbidden` }, { provider: refreshing(byDefault) });
    expect(r1).toMatchObject({ ok: true, status: 403, attempts: 1 });
    expect(byDefault).toEqual([false]);
    const listed: boolean[] = [];
    const r2 = await run({ url: `${server.url}/forbidden` }, { provider: refreshing(listed, [403]) });
    expect(r2).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(listed).toEqual([false, true]);
  });
});

describe("redirects and credentials", () => {
  let home: LocalServer;
  let other: LocalServer;
  const homeSaw: { url: string; headers: IncomingHttpHeaders }[] = [];
  const otherSaw: { url: string; headers: IncomingHttpHeaders }[] = [];
  beforeAll(async () => {
    other = await startLocalServer((req, res) => {
      otherSaw.push({ url: req.url ?? "", headers: req.headers });
      const back = new URL(req.url ?? "/", "http://x").searchParams.get("to");
      if (back) res.writeHead(302, { location: back }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    home = await startLocalServer((req, res) => {
      homeSaw.push({ url: req.url ?? "", headers: req.headers });
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/away") res.writeHead(302, { location: `${other.url}/landing?api_key=sk-live-123&x=1` }).end();
      else if (u.pathname === "/same") res.writeHead(302, { location: "/final" }).end();
      else if (u.pathname === "/bounce") res.writeHead(302, { location: `${other.url}/back?to=${encodeURIComponent(`${home.url}/final`)}` }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  afterAll(async () => {
    await home.close();
    await other.close();
  });

  const keyed = (allowedHosts = ["127.0.0.1"]) =>
    provider({
      allowedHosts,
      apply: async ({ url, headers }) => {
        headers.set("authorization", "Bearer sk-live-123");
        headers.set("x-api-key", "sk-live-123");
        url.searchParams.set("api_key", "sk-live-123");
      },
      masker: createMasker(["sk-live-123"]),
    });

  it("keeps credentials on a same-origin hop", async () => {
    homeSaw.length = 0;
    const r = await run({ url: `${home.url}/same` }, { provider: keyed() });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(homeSaw.map((s) => s.url)).toEqual(["/same?api_key=sk-live-123", "/final?api_key=sk-live-123"]);
    expect(homeSaw[1].headers.authorization).toBe("Bearer sk-live-123");
    expect(homeSaw[1].headers["x-api-key"]).toBe("sk-live-123");
  });

  it("never carries credentials to another origin, even one echoed into the Location", async () => {
    otherSaw.length = 0;
    const r = await run({ url: `${home.url}/away`, headers: [{ key: "X-Trace", value: "t1" }] }, { provider: keyed() });
    expect(r).toMatchObject({ ok: true, status: 200, redirects: [{ status: 302 }] });
    expect(otherSaw).toHaveLength(1);
    expect(otherSaw[0].url).toBe("/landing?x=1");
    expect(otherSaw[0].headers.authorization).toBeUndefined();
    expect(otherSaw[0].headers["x-api-key"]).toBeUndefined();
    expect(otherSaw[0].headers["x-trace"]).toBe("t1");
    if (r.ok) expect(r.redirects[0].location).toBe(`${other.url}/landing?api_key=${MASK}&x=1`);
  });

  it("drops a typed Authorization header on a cross-origin hop too", async () => {
    otherSaw.length = 0;
    const r = await run(
      {
        url: `${home.url}/away`,
        headers: [
          { key: "Authorization", value: "Bearer typed" },
          { key: "Cookie", value: "s=1" },
        ],
      },
      {},
    );
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(otherSaw[0].headers.authorization).toBeUndefined();
    expect(otherSaw[0].headers.cookie).toBeUndefined();
  });

  it("does not restore credentials when a redirect comes back to the origin", async () => {
    homeSaw.length = 0;
    otherSaw.length = 0;
    const r = await run({ url: `${home.url}/bounce` }, { provider: keyed() });
    expect(r).toMatchObject({ ok: true, status: 200, redirects: [{ status: 302 }, { status: 302 }] });
    expect(otherSaw[0].headers.authorization).toBeUndefined();
    expect(homeSaw.map((s) => s.url)).toEqual(["/bounce?api_key=sk-live-123", "/final"]);
    expect(homeSaw[1].headers.authorization).toBeUndefined();
    expect(homeSaw[1].headers["x-api-key"]).toBeUndefined();
  });

  it("re-checks the connection's allowed hosts on every hop", async () => {
    otherSaw.length = 0;
    const r = await run({ url: `${home.url}/away` }, { provider: keyed([`127.0.0.1:${home.port}`]) });
    expect(r).toMatchObject({ ok: false, kind: "host_not_allowed" });
    if (!r.ok) expect(r.message).toContain(`the server redirected to 127.0.0.1:${other.port}, which is not one of its allowed hosts`);
    expect(otherSaw).toHaveLength(0);
  });
});

describe("credentials a provider adds to the body, across redirects", () => {
  let home: LocalServer;
  let other: LocalServer;
  const seen: { at: string; body: string }[] = [];
  beforeAll(async () => {
    other = await startLocalServer(async (req, res) => {
      seen.push({ at: `other${req.url}`, body: (await readRequestBody(req)).toString() });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    home = await startLocalServer(async (req, res) => {
      seen.push({ at: `home${req.url}`, body: (await readRequestBody(req)).toString() });
      if (req.url === "/away") res.writeHead(307, { location: `${other.url}/landing` }).end();
      else if (req.url === "/same") res.writeHead(307, { location: "/final" }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  afterAll(async () => {
    await home.close();
    await other.close();
  });

  // Like OAuth 1.0a's form placement: the provider appends its parameters to the form body it is given.
  const bodySigner = (signsEachHop: boolean) =>
    provider({
      signsEachHop,
      apply: async (req) => {
        req.body = Buffer.concat([req.body ?? new Uint8Array(), Buffer.from("&sig=body-secret-1")]);
      },
      masker: createMasker(["body-secret-1"]),
    });
  const post = (path: string, p: CredentialProvider) =>
    run(
      {
        method: "POST",
        url: `${home.url}${path}`,
        followAllRedirects: true,
        body: { type: "urlencoded", fields: [{ key: "a", value: "1", enabled: true }] },
      },
      { provider: p },
    );

  it("sends the user's body, without what the provider added, to another origin", async () => {
    seen.length = 0;
    expect(await post("/away", bodySigner(true))).toMatchObject({ ok: true, status: 200 });
    expect(seen).toEqual([
      { at: "home/away", body: "a=1&sig=body-secret-1" },
      { at: "other/landing", body: "a=1" },
    ]);
  });

  it("signs each same-origin hop from the user's body, and keeps a non-signing provider's body on it", async () => {
    seen.length = 0;
    expect(await post("/same", bodySigner(true))).toMatchObject({ ok: true, status: 200 });
    expect(await post("/same", bodySigner(false))).toMatchObject({ ok: true, status: 200 });
    expect(seen.map((s) => s.body)).toEqual(["a=1&sig=body-secret-1", "a=1&sig=body-secret-1", "a=1&sig=body-secret-1", "a=1&sig=body-secret-1"]);
  });
});
