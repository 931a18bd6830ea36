import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { basic, BASE, formRequest, makeClient } from "@/lib/oauth-server/test-helpers";
import type { ScopeName } from "@/lib/oauth-server/scopes";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { makeTeamContext } from "@/lib/testing/factories";
import { apiRouteHandler } from "../handler";
import { buildOpenApiDocument } from "../openapi";
import * as routes from "./connections";

async function tokenFor(ctx: TeamContext, scopes: ScopeName[]) {
  const app = await makeClient(ctx, { scopes, role: "member" });
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

function call(route: Parameters<typeof apiRouteHandler>[0], token: string, options: { path: string; method: string; id?: string; body?: unknown }) {
  return apiRouteHandler(route)(
    new Request(`${BASE}${options.path}`, {
      method: options.method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { params: Promise.resolve<Record<string, string>>(options.id ? { id: options.id } : {}) },
  );
}

type Health = {
  checkSchedule: string;
  keepAlive: string;
  expiresAt: string | null;
  nextCheckAt: string | null;
  needsAttention: string[];
  lastCheckAt: string | null;
};

describe("connection health in the REST API", () => {
  it("sets the check schedule and expiry on create and shows them with connections:read", async () => {
    const ctx = await makeTeamContext("admin");
    const writer = await tokenFor(ctx, ["connections:read", "connections:write"]);
    const reader = await tokenFor(ctx, ["connections:read"]);
    const expiresOn = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const created = await call(routes.createConnectionRoute, writer, {
      path: "/api/v1/connections",
      method: "POST",
      body: { type: "api_key", name: "Vendor", apiKey: "k-1", checkSchedule: "hourly", testUrl: "https://api.example.com/me", expiresOn },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = await call(routes.getConnectionRoute, reader, { path: `/api/v1/connections/${id}`, method: "GET", id });
    expect(read.status).toBe(200);
    const { health } = (await read.json()) as { health: Health };
    expect(health).toMatchObject({ checkSchedule: "hourly", keepAlive: "off", needsAttention: ["expiring"], lastCheckAt: null });
    expect(health.expiresAt?.slice(0, 10)).toBe(expiresOn);
    expect(Date.parse(health.nextCheckAt ?? "") - Date.now()).toBeLessThanOrEqual(3_600_000);

    const bad = await call(routes.createConnectionRoute, writer, {
      path: "/api/v1/connections",
      method: "POST",
      body: { type: "api_key", name: "Typo", apiKey: "k", checkSchedule: "weekly", expiresOn: "31/01/2027" },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { fields: Record<string, string> }).fields)).toEqual(
      expect.arrayContaining(["body.checkSchedule", "body.expiresOn"]),
    );
  });

  it("is described in the OpenAPI document from the route's schema", () => {
    const doc = buildOpenApiDocument();
    const op = doc.paths["/api/v1/connections/{id}"].get as {
      responses: Record<string, { content: { "application/json": { schema: { properties: Record<string, { properties?: object }> } } } }>;
    };
    const health = op.responses["200"].content["application/json"].schema.properties.health;
    expect(Object.keys(health.properties ?? {})).toEqual(
      expect.arrayContaining(["lastCheckAt", "lastCheckOk", "lastCheckMessage", "checkSchedule", "keepAlive", "expiresAt", "needsAttention"]),
    );
  });
});
