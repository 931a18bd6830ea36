import { describe, expect, it } from "vitest";
import { appToken } from "@/lib/oauth-server/test-helpers";
import { callRoute } from "../test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { resetEnvCache } from "@/lib/config/env";
import * as routes from "./connections";

const SECRET = "api-key-that-must-never-come-back-42";

const apiKeyConnection = (name: string) => ({ type: "api_key", name, apiKey: SECRET, scheme: "Bearer", allowedDomains: "api.example.com" });

describe("/api/v1/connections", () => {
  it("answers 400 naming the field for a NUL, a CR in a credential, or an overlong value, never 500", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["connections:read", "connections:write"], "member");
    const post = (body: unknown) => callRoute(routes.createConnectionRoute, token, { path: "/api/v1/connections", method: "POST", body });
    const cases: Array<[unknown, string]> = [
      [apiKeyConnection("CRM\u0000"), "body.name"],
      [{ ...apiKeyConnection("CRM"), apiKey: "key\r\nX-Injected: 1" }, "body.apiKey"],
      [{ ...apiKeyConnection("CRM"), headerKey: "X-Key\u0000" }, "body.headerKey"],
      [{ ...apiKeyConnection("CRM"), allowedDomains: "a".repeat(100_000) }, "body.allowedDomains"],
      [{ ...apiKeyConnection("CRM"), "extra\u0000": 1 }, "body.extra\u0000"],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      expect(response.status, field).toBe(400);
      expect(Object.keys(((await response.json()) as { fields: Record<string, string> }).fields), field).toContain(field);
    }
    const list = await callRoute(routes.listConnectionsRoute, token, { path: "/api/v1/connections?q=a%00b", method: "GET" });
    expect(list.status).toBe(400);
    expect(((await list.json()) as { fields: Record<string, string> }).fields).toHaveProperty("query.q");
  });

  it("creates, lists, reads, replaces and deletes a connection, never returning its secret", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["connections:read", "connections:write"], "member");
    const created = await callRoute(routes.createConnectionRoute, token, {
      path: "/api/v1/connections",
      method: "POST",
      body: apiKeyConnection("CRM"),
    });
    expect(created.status).toBe(201);
    const createdText = await created.text();
    expect(createdText).not.toContain(SECRET);
    const { id } = JSON.parse(createdText) as { id: string };

    const list = await callRoute(routes.listConnectionsRoute, token, { path: "/api/v1/connections", method: "GET" });
    const listText = await list.text();
    expect(listText).not.toContain(SECRET);
    expect(JSON.parse(listText).connections.map((c: { name: string }) => c.name)).toEqual(["CRM"]);

    const one = await callRoute(routes.getConnectionRoute, token, { path: `/api/v1/connections/${id}`, method: "GET", id });
    expect(await one.json()).toMatchObject({ id, name: "CRM", type: "api_key", status: "never_verified", allowedHosts: ["api.example.com"] });

    const replaced = await callRoute(routes.updateConnectionRoute, token, {
      path: `/api/v1/connections/${id}`,
      method: "PUT",
      id,
      body: apiKeyConnection("CRM v2"),
    });
    expect(await replaced.json()).toMatchObject({ id, name: "CRM v2" });

    const verified = await callRoute(routes.verifyConnectionRoute, token, { path: `/api/v1/connections/${id}/verify`, method: "POST", id });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toHaveProperty("message");

    const deleted = await callRoute(routes.deleteConnectionRoute, token, { path: `/api/v1/connections/${id}`, method: "DELETE", id });
    expect(deleted.status).toBe(204);
    expect((await callRoute(routes.getConnectionRoute, token, { path: `/api/v1/connections/${id}`, method: "GET", id })).status).toBe(404);
  });

  it("needs connections:write to change anything, and names invalid fields", async () => {
    const ctx = await makeTeamContext("admin");
    const readOnly = await appToken(ctx, ["connections:read"], "member");
    const refused = await callRoute(routes.createConnectionRoute, readOnly, {
      path: "/api/v1/connections",
      method: "POST",
      body: apiKeyConnection("X"),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "insufficient_scope" });

    const writer = await appToken(ctx, ["connections:write"], "member");
    const invalid = await callRoute(routes.createConnectionRoute, writer, {
      path: "/api/v1/connections",
      method: "POST",
      body: { type: "basic", name: "" },
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(((await invalid.json()) as { fields: Record<string, string> }).fields)).toEqual(
      expect.arrayContaining(["body.name", "body.username"]),
    );

    const code = await callRoute(routes.createConnectionRoute, writer, {
      path: "/api/v1/connections",
      method: "POST",
      body: {
        type: "oauth2_code",
        name: "Code",
        authorizeUrl: "https://idp.example/auth",
        tokenUrl: "https://idp.example/token",
        clientId: "c",
        clientSecret: "s",
      },
    });
    expect(code.status).toBe(400);
  });

  it("never lets team A's token touch team B's connection", async () => {
    const teamA = await makeTeamContext("admin");
    const teamB = await makeTeamContext("admin");
    const tokenB = await appToken(teamB, ["connections:read", "connections:write"], "member");
    const created = await callRoute(routes.createConnectionRoute, tokenB, {
      path: "/api/v1/connections",
      method: "POST",
      body: apiKeyConnection("B only"),
    });
    const { id } = (await created.json()) as { id: string };
    const tokenA = await appToken(teamA, ["connections:read", "connections:write"], "member");
    expect((await callRoute(routes.getConnectionRoute, tokenA, { path: `/api/v1/connections/${id}`, method: "GET", id })).status).toBe(404);
    expect(
      (
        await callRoute(routes.updateConnectionRoute, tokenA, {
          path: `/api/v1/connections/${id}`,
          method: "PUT",
          id,
          body: apiKeyConnection("stolen"),
        })
      ).status,
    ).toBe(404);
    expect((await callRoute(routes.verifyConnectionRoute, tokenA, { path: `/api/v1/connections/${id}/verify`, method: "POST", id })).status).toBe(
      404,
    );
    expect((await callRoute(routes.deleteConnectionRoute, tokenA, { path: `/api/v1/connections/${id}`, method: "DELETE", id })).status).toBe(404);
    const listA = await callRoute(routes.listConnectionsRoute, tokenA, { path: "/api/v1/connections", method: "GET" });
    expect(((await listA.json()) as { connections: unknown[] }).connections).toEqual([]);
  });
  it("with ?verify=true checks before saving: a failed check is a 400 with the reason and saves nothing; a passing one saves it Verified", async () => {
    process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
    resetEnvCache();
    const bin = process.env.HTTPBIN_URL as string;
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["connections:read", "connections:write"], "member");
    const withTestUrl = (name: string, path: string) => ({ type: "api_key", name, apiKey: SECRET, scheme: "Bearer", testUrl: `${bin}${path}` });
    const refused = await callRoute(routes.createConnectionRoute, token, {
      path: "/api/v1/connections?verify=true",
      method: "POST",
      body: withTestUrl("Checked", "/status/401"),
    });
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { error_description: string };
    expect(error.error_description).toMatch(/^The check failed, so nothing was saved: Test URL .* answered HTTP 401/);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    const list = await callRoute(routes.listConnectionsRoute, token, { path: "/api/v1/connections", method: "GET" });
    expect(((await list.json()) as { connections: unknown[] }).connections).toEqual([]);

    const passed = await callRoute(routes.createConnectionRoute, token, {
      path: "/api/v1/connections?verify=true",
      method: "POST",
      body: withTestUrl("Checked", "/bearer"),
    });
    expect(passed.status).toBe(201);
    const created = (await passed.json()) as { id: string; status: string; lastVerifyOk: boolean };
    expect(created).toMatchObject({ status: "verified", lastVerifyOk: true });

    // Without ?verify the API saves as before, unchecked; an edit with ?verify=true that fails keeps the stored one.
    const unchecked = await callRoute(routes.createConnectionRoute, token, {
      path: "/api/v1/connections",
      method: "POST",
      body: withTestUrl("Unchecked", "/status/401"),
    });
    expect(await unchecked.json()).toMatchObject({ status: "never_verified" });
    const edit = await callRoute(routes.updateConnectionRoute, token, {
      path: `/api/v1/connections/${created.id}?verify=true`,
      method: "PUT",
      id: created.id,
      body: withTestUrl("Checked again", "/status/401"),
    });
    expect(edit.status).toBe(400);
    const kept = await callRoute(routes.getConnectionRoute, token, { path: `/api/v1/connections/${created.id}`, method: "GET", id: created.id });
    expect(await kept.json()).toMatchObject({ name: "Checked", status: "verified" });
  });
});
