import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { OutboundLimiter } from "@/lib/http/outbound-limit";
import { startLocalServer } from "@/lib/http/testing/local-server";
import { listRecentRuns } from "@/lib/requests";
import { BASE, makeClient, clientCredentialsToken } from "@/lib/oauth-server/test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { apiRouteHandler } from "../handler";
import { runRequestRoute } from "./requests";

const POST = apiRouteHandler(runRequestRoute);

const call = (token: string, body: unknown) =>
  POST(
    new Request(`${BASE}/api/v1/requests/run`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    {
      params: Promise.resolve({}),
    },
  );

beforeAll(() => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
});

describe("POST /api/v1/requests/run", () => {
  it("runs a request for the token's team and records it in that team's history", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await clientCredentialsToken(await makeClient(ctx, { role: "member", scopes: ["requests:run"] }), "requests:run");
    const response = await call(token, {
      spec: { method: "POST", url: `${process.env.HTTPBIN_URL}/post`, body: { type: "raw", contentType: "json", text: '{"n":1}' } },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { ok: boolean; status: number; runId: string; body: { value: { json: unknown } } };
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.body.value.json).toEqual({ n: 1 });
    expect((await listRecentRuns(await getDb(), ctx)).map((r) => r.id)).toContain(result.runId);
  });

  it("needs requests:run and names invalid fields", async () => {
    const ctx = await makeTeamContext("admin");
    const app = await makeClient(ctx, { scopes: ["requests:run", "connections:read"] });
    const readOnly = await clientCredentialsToken(app, "connections:read");
    expect((await call(readOnly, { spec: { url: "https://example.com" } })).status).toBe(403);
    const token = await clientCredentialsToken(app, "requests:run");
    const invalid = await call(token, { spec: { url: "", timeoutSeconds: 999 } });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields)).toEqual(expect.arrayContaining(["body.spec.url", "body.spec.timeoutSeconds"]));
  });

  it("keeps cookies between runs that name the same cookieSession, values masked", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await clientCredentialsToken(await makeClient(ctx, { scopes: ["requests:run"] }), "requests:run");
    const cookieSession = crypto.randomUUID();
    const value = `api-jar-${crypto.randomUUID().slice(0, 8)}`;
    const set = await call(token, {
      cookieSession,
      spec: { url: `${process.env.HTTPBIN_URL}/cookies/set?api=${value}`, followRedirect: false, responseType: "text" },
    });
    expect(await set.json()).toMatchObject({ ok: true, status: 302, cookies: [{ name: "api", value: "••••••" }] });
    const read = await call(token, { cookieSession, spec: { url: `${process.env.HTTPBIN_URL}/cookies` } });
    expect(await read.json()).toMatchObject({ ok: true, body: { value: { cookies: { api: "••••••" } } } });
    const without = await call(token, { spec: { url: `${process.env.HTTPBIN_URL}/cookies` } });
    expect(((await without.json()) as { body: { value: { cookies: unknown } } }).body.value.cookies).toEqual({});
  });

  it("cannot use another team's connection", async () => {
    const teamA = await makeTeamContext("admin");
    const token = await clientCredentialsToken(await makeClient(teamA, { scopes: ["requests:run"] }), "requests:run");
    const response = await call(token, { connectionId: crypto.randomUUID(), spec: { url: `${process.env.HTTPBIN_URL}/get` } });
    expect(response.status).toBe(404);
  });

  it("answers 429 with Retry-After when the outbound limit and its queue are full, and records nothing for it", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await clientCredentialsToken(await makeClient(ctx, { scopes: ["requests:run"] }), "requests:run");
    const slow = await startLocalServer((_req, res) => void setTimeout(() => res.end("done"), 400));
    const saved = globalThis.__plugboardOutboundLimiter;
    globalThis.__plugboardOutboundLimiter = new OutboundLimiter({ maxInFlight: 1, teamShare: 1, maxQueued: 1 });
    try {
      const responses = await Promise.all(Array.from({ length: 3 }, () => call(token, { spec: { url: `${slow.url}/slow`, responseType: "text" } })));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 429]);
      const refused = responses.find((r) => r.status === 429)!;
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ error: "rate_limited", error_description: expect.stringContaining("Plugboard is busy") });
      expect(await listRecentRuns(await getDb(), ctx)).toHaveLength(2);
    } finally {
      globalThis.__plugboardOutboundLimiter = saved;
      await slow.close();
    }
  });
});
