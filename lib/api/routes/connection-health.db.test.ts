import { describe, expect, it } from "vitest";
import { appToken } from "@/lib/oauth-server/test-helpers";
import { callRoute } from "../test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { buildOpenApiDocument } from "../openapi";
import * as routes from "./connections";

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
    const writer = await appToken(ctx, ["connections:read", "connections:write"], "member");
    const reader = await appToken(ctx, ["connections:read"], "member");
    const expiresOn = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const created = await callRoute(routes.createConnectionRoute, writer, {
      path: "/api/v1/connections",
      method: "POST",
      body: { type: "api_key", name: "Vendor", apiKey: "k-1", checkSchedule: "hourly", testUrl: "https://api.example.com/me", expiresOn },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = await callRoute(routes.getConnectionRoute, reader, { path: `/api/v1/connections/${id}`, method: "GET", id });
    expect(read.status).toBe(200);
    const { health } = (await read.json()) as { health: Health };
    expect(health).toMatchObject({ checkSchedule: "hourly", keepAlive: "off", needsAttention: ["expiring"], lastCheckAt: null });
    expect(health.expiresAt?.slice(0, 10)).toBe(expiresOn);
    expect(Date.parse(health.nextCheckAt ?? "") - Date.now()).toBeLessThanOrEqual(3_600_000);

    const bad = await callRoute(routes.createConnectionRoute, writer, {
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
