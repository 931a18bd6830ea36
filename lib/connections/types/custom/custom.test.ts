import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { executeHttpRequest } from "@/lib/http/execute";
import { createMasker, MASK } from "@/lib/http/mask";
import type { RequestSpecInput } from "@/lib/http/spec";
import type { HttpResult } from "@/lib/http/types";
import type { TokenSet } from "@/lib/oauth-client/token-set";
import type { StoredSecrets, TokenContext } from "../descriptor";
import { buildProvider } from "../provider";
import { customForm } from "./form";
import { type Fill, fillJsonStrings } from "./login";
import { customServer, type CustomConfig } from "./server";
import { httpbinUrl } from "@/lib/http/testing/local-server";
import { startSessionServer, type SessionServer } from "./testing/session-server";
import { fillPlaceholders } from "./template";

const allowedTargets = parseAllowedHosts("127.0.0.1");
const USER = "ann";
const PASSWORD = 'pa"ss\\wörd-7731';
const API_KEY = "key-5f1d9c27a3";

type Input = z.input<typeof customForm.schema>;

let peer: SessionServer;
beforeAll(async () => {
  peer = await startSessionServer({ username: USER, password: PASSWORD, apiKey: API_KEY, ttlMs: 60_000 });
});
afterEach(() => {
  peer.ttlMs = 60_000;
});
afterAll(async () => {
  await peer.close();
  await closeHttpAgents();
});

const LOGIN: Partial<Input> = {
  login: true,
  loginMethod: "POST",
  loginBodyType: "json",
  loginBody: '{"username": "{{secret.username}}", "password": "{{secret.password}}"}',
  tokenPath: "$.token",
  lifetime: "fixed",
  lifetimeSeconds: "3600",
};

const USER_SECRETS = [
  { name: "username", value: USER },
  { name: "password", value: PASSWORD },
];

/** A connection as the app builds it: parsed by the form's schema, split into config and secrets, tokens from tokens.obtain. */
function connect(fields: Partial<Input>, allowedHosts = [`127.0.0.1:${peer.port}`]) {
  const parsed = customForm.schema.parse({ ...customForm.defaults, name: "Session API", loginUrl: `${peer.url}/login`, ...fields });
  const { secretValues, ...rest } = parsed;
  const config: CustomConfig = { ...rest, allowedHosts };
  const secrets: StoredSecrets = { secretValues };
  const tokensSeen: string[] = [];
  const masker = createMasker(() => [secretValues, ...(customServer.derivedSecrets?.(config, secrets) ?? []), ...tokensSeen]);
  const send = (spec: RequestSpecInput): Promise<HttpResult> => executeHttpRequest(spec, { allowedTargets });
  const tokenContext: TokenContext<CustomConfig> = { config, secrets, oauth: { masker }, send };
  let cached: TokenSet | undefined;
  const obtain = async () => {
    const tokens = customServer.tokens;
    if (!tokens) throw new Error("custom auth has no token support");
    const set = await tokens.obtain(tokenContext);
    tokensSeen.push(set.accessToken);
    return set;
  };
  const provider = buildProvider(customServer, {
    config,
    secrets,
    masker,
    expiredStatuses: [401],
    session: new Map(),
    accessToken: async (force) => {
      if (force || !cached || (cached.expiresAt && cached.expiresAt.getTime() <= Date.now())) cached = await obtain();
      return { accessToken: cached.accessToken, tokenType: cached.tokenType, expiresAt: cached.expiresAt ?? null };
    },
  });
  const run = (spec: RequestSpecInput) => executeHttpRequest({ debug: true, ...spec }, { allowedTargets, provider });
  return { config, secrets, provider, run, obtain, tokensSeen };
}

const KEY_SECRET = [{ name: "key", value: API_KEY }];

function expectNoSecrets(value: unknown, extra: string[] = []) {
  const text = JSON.stringify(value);
  for (const s of [API_KEY, PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), encodeURIComponent(PASSWORD), ...extra]) expect(text).not.toContain(s);
}

describe("custom auth: the template places secrets", () => {
  it("in a header, masked in the debug output", async () => {
    const c = connect({ secrets: KEY_SECRET, template: '{"headers": {"X-Api-Key": "{{secret.key}}"}}' });
    const r = await c.run({ url: `${peer.url}/keyed` });
    expect(r).toMatchObject({ ok: true, status: 200, output: { via: "header" } });
    expect(r.requests?.[0].headers["x-api-key"]).toBe(MASK);
    expectNoSecrets(r);
  });

  it("in a query parameter, masked in the URLs shown", async () => {
    const c = connect({ secrets: KEY_SECRET, template: '{"query": {"api_key": "{{secret.key}}"}}' });
    const r = await c.run({ url: `${peer.url}/keyed?page=2` });
    expect(r).toMatchObject({ ok: true, status: 200, output: { via: "query" } });
    expect(r.requests?.[0].url).toContain("page=2");
    expectNoSecrets(r);
  });

  it("merged into a JSON body, keeping the body's own fields", async () => {
    const c = connect({ secrets: KEY_SECRET, template: '{"body": {"api_key": "{{secret.key}}", "client": "plugboard {{secret.key}}"}}' });
    const r = await c.run({ method: "POST", url: `${peer.url}/keyed`, body: { type: "raw", contentType: "json", text: '{"note": "hi", "n": 2}' } });
    expect(r).toMatchObject({ ok: true, status: 200, output: { via: "body", contentType: "application/json" } });
    if (!r.ok) return;
    // The peer echoes what it received: the key arrived in the body; the debug output shows it masked.
    expect(JSON.parse((r.output as { body: string }).body)).toEqual({ note: "hi", n: 2, api_key: API_KEY, client: `plugboard ${API_KEY}` });
    expect(r.requests?.[0].bodyPreview).toBe(`{"note":"hi","n":2,"api_key":"${MASK}","client":"plugboard ${MASK}"}`);
    expectNoSecrets(r.requests);
  });

  it("added to a form-encoded body", async () => {
    const c = connect({ secrets: KEY_SECRET, template: '{"body": {"api_key": "{{secret.key}}"}}' });
    const r = await c.run({ method: "POST", url: `${peer.url}/keyed`, body: { type: "urlencoded", fields: [{ key: "a", value: "1" }] } });
    expect(r).toMatchObject({ ok: true, status: 200, output: { via: "body" } });
    if (!r.ok) return;
    expect(new URLSearchParams((r.output as { body: string }).body).get("a")).toBe("1");
    expect(r.requests?.[0].bodyPreview).toBe(`a=1&api_key=${MASK}`);
    expectNoSecrets(r.requests);
  });

  it("base64-encodes with {{base64 …}}: httpbin accepts the Basic credential it builds", async () => {
    const bin = new URL(httpbinUrl());
    const secrets = [
      { name: "user", value: "ann" },
      { name: "pass", value: "open-sesame-42" },
    ];
    const c = connect({ secrets, template: `{"headers": {"Authorization": "Basic {{base64 secret.user ':' secret.pass}}"}}` }, [bin.host]);
    const r = await c.run({ url: `${bin.origin}/basic-auth/ann/open-sesame-42` });
    expect(r).toMatchObject({ ok: true, status: 200, output: { authenticated: true, user: "ann" } });
  });

  it("masks what {{base64 …}} makes of the secrets (derived secrets)", async () => {
    const c = connect({ secrets: KEY_SECRET, template: `{"headers": {"X-Auth": "{{base64 'id:' secret.key}}"}}` });
    const encoded = Buffer.from(`id:${API_KEY}`).toString("base64");
    expect(customServer.derivedSecrets?.(c.config, c.secrets)).toEqual([API_KEY, encoded]);
    const r = await c.run({ method: "POST", url: `${peer.url}/echo` });
    expect(r.requests?.[0].headers["x-auth"]).toBe(MASK);
    expectNoSecrets(r, [encoded]);
  });

  it("leaves the body fields behind when a redirect leaves the origin", async () => {
    const other = await startSessionServer({ username: USER, password: PASSWORD, apiKey: API_KEY, ttlMs: 60_000 });
    try {
      // Both origins are allowed hosts (any port of 127.0.0.1), as *.example.com allows sibling hosts.
      const c = connect({ secrets: KEY_SECRET, template: '{"body": {"api_key": "{{secret.key}}"}}' }, ["127.0.0.1"]);
      const to = encodeURIComponent(`${other.url}/echo`);
      const body = { type: "raw", contentType: "json", text: '{"note": "hi"}' } as const;
      const r = await c.run({ method: "POST", url: `${peer.url}/redirect?to=${to}`, followAllRedirects: true, body });
      expect(r).toMatchObject({ ok: true, status: 200, redirects: [{ status: 307 }], output: { body: '{"note": "hi"}' } });
      expectNoSecrets(r);
    } finally {
      await other.close();
    }
  });

  it("says when the request's body cannot take fields, and sends nothing", async () => {
    const c = connect({ secrets: KEY_SECRET, template: '{"body": {"api_key": "{{secret.key}}"}}' });
    const text = await c.run({ method: "POST", url: `${peer.url}/keyed`, body: { type: "raw", contentType: "text", text: "plain words" } });
    expect(text).toMatchObject({ ok: false, kind: "credentials" });
    if (!text.ok) expect(text.message).toContain("body fields (api_key) cannot go into a text/plain body: send a JSON or form (urlencoded) body");
    const none = await c.run({ url: `${peer.url}/keyed` });
    if (none.ok) throw new Error("a GET without a body was sent");
    expect(none.message).toContain("cannot go into a request without a body");
  });
});

describe("custom auth: the session login step", () => {
  const sessionTemplate = '{"headers": {"X-Session": "{{token}}"}}';

  it("logs in, sends the token, and reuses it while it lives", async () => {
    const before = peer.counts.logins;
    const c = connect({ ...LOGIN, secrets: USER_SECRETS, template: sessionTemplate });
    const first = await c.run({ url: `${peer.url}/data` });
    expect(first).toMatchObject({ ok: true, status: 200, output: { ok: true, user: USER } });
    const second = await c.run({ url: `${peer.url}/data` });
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(peer.counts.logins - before).toBe(1);
    expect(first.requests?.[0].headers["x-session"]).toBe(MASK);
    expectNoSecrets([first, second], c.tokensSeen);
  });

  it("logs in with a form-encoded body and places the token in the query", async () => {
    const c = connect({
      ...LOGIN,
      loginBodyType: "urlencoded",
      loginFields: [
        { name: "username", value: "{{secret.username}}" },
        { name: "password", value: "{{secret.password}}" },
      ],
      secrets: USER_SECRETS,
      template: '{"query": {"session": "{{token}}"}}',
    });
    const r = await c.run({ url: `${peer.url}/data` });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expectNoSecrets(r, c.tokensSeen);
  });

  it("percent-encodes secrets placed in the login URL", async () => {
    const user = "ann & co/1?";
    const other = await startSessionServer({ username: user, password: PASSWORD, apiKey: API_KEY, ttlMs: 60_000 });
    try {
      const c = connect({
        ...LOGIN,
        loginUrl: `${other.url}/login?username={{secret.username}}`,
        loginBody: '{"password": "{{secret.password}}"}',
        secrets: [{ name: "username", value: user }, USER_SECRETS[1]],
        template: sessionTemplate,
      });
      await expect(c.obtain()).resolves.toMatchObject({ tokenType: "custom" });
      expect(other.counts.logins).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("logs in again once when the server says the token expired, and resends", async () => {
    const c = connect({ ...LOGIN, secrets: USER_SECRETS, template: sessionTemplate });
    expect(await c.run({ url: `${peer.url}/data` })).toMatchObject({ ok: true, status: 200 });
    peer.expireAll(); // the server ends the session while the cached token still claims an hour
    const [logins, expired] = [peer.counts.logins, peer.counts.expired];
    const r = await c.run({ url: `${peer.url}/data` });
    expect(r).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect([peer.counts.logins - logins, peer.counts.expired - expired]).toEqual([1, 1]);
    expect(c.tokensSeen).toHaveLength(2);
  });

  it("refreshes only once when the new token is refused too", async () => {
    peer.ttlMs = 0; // every token is dead on arrival
    const c = connect({ ...LOGIN, secrets: USER_SECRETS, template: sessionTemplate });
    const logins = peer.counts.logins;
    const r = await c.run({ url: `${peer.url}/data` });
    expect(r).toMatchObject({ ok: true, status: 401, attempts: 2 });
    expect(peer.counts.logins - logins).toBe(2);
  });

  it("says what failed when the password is wrong, masking what the server echoes", async () => {
    const wrong = "not-the-password-9910";
    const echoing = await startSessionServer({ username: USER, password: PASSWORD, apiKey: API_KEY, ttlMs: 60_000, echoPasswordOnRefusal: true });
    try {
      const c = connect({
        ...LOGIN,
        loginUrl: `${echoing.url}/login`,
        secrets: [USER_SECRETS[0], { name: "password", value: wrong }],
        template: sessionTemplate,
      });
      const r = await c.run({ url: `${peer.url}/data` });
      if (r.ok) throw new Error("the request was sent without a session");
      expect(r.kind).toBe("credentials");
      expect(r.message).toContain(`the login was refused: HTTP 401 Unauthorized (invalid_credentials: wrong password ${MASK} for ann)`);
      expectNoSecrets(r, [wrong]);
      expect(echoing.counts.refusedLogins).toBe(1);
    } finally {
      await echoing.close();
    }
  });

  it("says where the token was looked for when the answer has none", async () => {
    const c = connect({ ...LOGIN, tokenPath: "$.session.id", secrets: USER_SECRETS, template: sessionTemplate });
    await expect(c.obtain()).rejects.toThrow("no value at $.session.id in the login answer");
  });

  it("takes the lifetime from the login answer", async () => {
    peer.ttlMs = 90_000;
    const c = connect({ ...LOGIN, lifetime: "path", lifetimePath: "$.expires_in", secrets: USER_SECRETS, template: sessionTemplate });
    const set = await c.obtain();
    expect(set).toMatchObject({ tokenType: "custom", scope: [] });
    expect((set.expiresAt?.getTime() ?? 0) - set.issuedAt.getTime()).toBe(90_000);
    const missing = connect({ ...LOGIN, lifetime: "path", lifetimePath: "$.ttl", secrets: USER_SECRETS, template: sessionTemplate });
    await expect(missing.obtain()).rejects.toThrow("no value at $.ttl (the token's lifetime) in the login answer");
  });

  it("shows the applied token masked for cURL, and sums the connection up", () => {
    const c = connect({ ...LOGIN, secrets: USER_SECRETS, template: sessionTemplate });
    expect(customServer.curl(c.config, c.secrets)).toEqual({ kind: "applied" });
    expect(customServer.summary(c.config)).toEqual([
      { label: "Secrets", value: "username, password" },
      { label: "Headers", value: "X-Session" },
      { label: "Login", value: `POST ${peer.url}/login (token at $.token, lifetime 3600 s)` },
    ]);
    expect(customServer.urls(c.config)).toEqual([`${peer.url}/login`]);
  });
});

describe("custom auth: the form's schema", () => {
  const base = { ...customForm.defaults, name: "x" };
  const errors = (fields: Partial<Input>) => {
    const r = customForm.schema.safeParse({ ...base, ...fields });
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("keeps the names in the config and the values in one secret field", () => {
    const out = customForm.schema.parse({ ...base, secrets: KEY_SECRET });
    expect(out.secrets).toEqual([{ name: "key", value: "" }]);
    expect(JSON.parse(out.secretValues)).toEqual({ key: API_KEY });
    const { secretValues: _secret, ...config } = out;
    expect(JSON.stringify(config)).not.toContain(API_KEY);
  });

  it("refuses unknown placeholders, naming the field and the place in the template", () => {
    expect(errors({ secrets: KEY_SECRET, template: '{"headers": {"X-Api-Key": "{{secret.kee}}"}}' })).toEqual({
      template: "headers.X-Api-Key: {{secret.kee}} names no secret (the secrets are key).",
    });
    expect(errors({ secrets: KEY_SECRET, template: '{"query": {"k": "{{input.id}}"}}' })).toEqual({
      template: "query.k: {{input.id}} is not a placeholder: use {{secret.<name>}}, {{token}} or {{base64 …}}.",
    });
    expect(errors({ secrets: KEY_SECRET, template: '{"headers": {"X-Session": "{{token}}"}}' }).template).toContain("turn the login step on");
    expect(errors({ secrets: KEY_SECRET, template: '{"headers": {"X": "{{secret.key"}}' }).template).toContain("not closed");
    expect(errors({ secrets: KEY_SECRET, template: `{"headers": {"X": "{{base64 secret.kee ':'}}"}}` }).template).toBe(
      "headers.X: {{base64 secret.kee ':'}}: {{secret.kee}} names no secret (the secrets are key).",
    );
    expect(errors({ ...LOGIN, secrets: KEY_SECRET, template: '{"headers": {"X": "{{token}}", "Y": "{{base64 token}}"}}' }).template).toBe(
      "headers.Y: {{base64 token}}: the session token cannot be base64-encoded; place {{token}} on its own.",
    );
    expect(errors({ secrets: KEY_SECRET, template: `{"headers": {"X": "{{base64 secret.key ':}}"}}` }).template).toMatch(
      /^headers.X: \{\{base64 secret.key ':\}\} is not readable/,
    );
  });

  it("refuses templates that are not the template's shape", () => {
    expect(errors({ secrets: KEY_SECRET, template: "{headers}" }).template).toMatch(/^The template is not valid JSON/);
    expect(errors({ secrets: KEY_SECRET, template: '{"cookies": {}}' }).template).toBe(
      "The template may only have headers, query and body (not cookies).",
    );
    expect(errors({ secrets: KEY_SECRET, template: '{"headers": {"X": 5}}' }).template).toBe("headers.X: each value must be a text in quotes.");
    expect(errors({ secrets: KEY_SECRET, template: "{}" }).template).toMatch(/^The template places nothing/);
    expect(errors({ secrets: KEY_SECRET, template: '{"headers": {"X Key": "{{secret.key}}"}}' }).template).toMatch(
      /^headers.X Key: is not a valid header name/,
    );
    expect(errors({ secrets: KEY_SECRET, template: '{"headers": {"X": "a\\nb {{secret.key}}"}}' }).template).toBe(
      "headers.X: header values cannot contain line breaks or control characters.",
    );
    expect(errors({ secrets: KEY_SECRET, template: '{"query": {"{{secret.key}}": "v"}}' }).template).toBe(
      "query.{{secret.key}}: names cannot hold placeholders, only values can.",
    );
  });

  it("refuses __proto__ as a template name rather than dropping it", () => {
    expect(errors({ secrets: KEY_SECRET, template: '{"body": {"__proto__": "{{secret.key}}"}}' }).template).toBe(
      "body.__proto__: this name cannot be used.",
    );
  });

  it("fills a login body's strings after parsing it, keeping every key as data", () => {
    const fill: Fill = (t) => fillPlaceholders(t, { secrets: { k: 'a"b\\c' } });
    expect(JSON.stringify(fillJsonStrings(JSON.parse('{"__proto__": "{{secret.k}}", "n": [1, "{{secret.k}}"]}'), fill))).toBe(
      '{"__proto__":"a\\"b\\\\c","n":[1,"a\\"b\\\\c"]}',
    );
  });

  it("checks the secrets' rows", () => {
    expect(errors({ secrets: [KEY_SECRET[0], { name: "key", value: "other" }] })).toEqual({
      "secrets.1.name": "There is already a secret named key.",
    });
    expect(errors({ secrets: [{ name: "key", value: "" }] })).toEqual({
      "secrets.0.value": "Enter the value of key (stored values are typed again on edit).",
    });
    expect(errors({ secrets: [{ name: "my key", value: "v" }], template: '{"headers": {"X": "v"}}' })["secrets.0.name"]).toContain("Name the secret");
    expect(errors({ secrets: KEY_SECRET, secretValues: '{"key": "x"}' as "" })).toEqual({ secretValues: "Give the secrets as rows in secrets." });
  });

  it("checks the login step's fields", () => {
    const login = { ...LOGIN, loginUrl: "https://api.example.com/login", secrets: USER_SECRETS, template: '{"headers": {"X-Session": "{{token}}"}}' };
    expect(errors(login)).toEqual({});
    expect(errors({ ...login, loginUrl: "" })).toEqual({ loginUrl: "Enter the login URL." });
    expect(errors({ ...login, loginBody: '{"user": "{{secret.user}}"}' })).toEqual({
      loginBody: "user: {{secret.user}} names no secret (the secrets are username, password).",
    });
    expect(errors({ ...login, loginBody: '{"user": "{{token}}"}' }).loginBody).toContain("{{token}} is the login step's session token");
    expect(errors({ ...login, loginHeaders: [{ name: "X-Auth", value: "{{secret.nope}}" }] })).toHaveProperty("loginHeaders.0.value");
    expect(errors({ ...login, template: '{"headers": {"X-Api-Key": "{{secret.username}}"}}' }).template).toContain(
      "Place the login step's session token with {{token}}",
    );
    expect(errors({ ...login, tokenPath: "$..[" })).toHaveProperty("tokenPath");
    expect(errors({ ...login, lifetimeSeconds: "0" })).toHaveProperty("lifetimeSeconds");
  });
});
