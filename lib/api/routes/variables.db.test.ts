import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { appToken } from "@/lib/oauth-server/test-helpers";
import { callRoute } from "../test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { loadTeamVariables } from "@/lib/variables";
import { buildOpenApiDocument } from "../openapi";
import * as routes from "./variables";

const SECRET = "rest-secret-value-42";

describe("/api/v1/variables", () => {
  it("creates, lists, reads, replaces and deletes variables; a secret value is never returned", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["variables:read", "variables:write"], "admin");
    const created = await callRoute(routes.createVariableRoute, token, {
      path: "/api/v1/variables",
      method: "POST",
      body: { name: "apiToken", value: SECRET, secret: true },
    });
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain(SECRET);
    const { variable } = JSON.parse(text) as { variable: { id: string; value: string | null; secret: boolean } };
    expect(variable).toMatchObject({ secret: true, value: null });
    await callRoute(routes.createVariableRoute, token, { path: "/api/v1/variables", method: "POST", body: { name: "region", value: "eu-west-1" } });

    const list = await (await callRoute(routes.listVariablesRoute, token, { path: "/api/v1/variables" })).text();
    expect(list).not.toContain(SECRET);
    expect((JSON.parse(list) as { variables: Array<{ name: string; value: string | null }> }).variables.map((v) => [v.name, v.value])).toEqual([
      ["apiToken", null],
      ["region", "eu-west-1"],
    ]);
    const one = await callRoute(routes.getVariableRoute, token, { path: `/api/v1/variables/${variable.id}`, id: variable.id });
    expect(await one.json()).toMatchObject({ variable: { name: "apiToken", value: null } });

    // A blank value keeps a secret one's value.
    const renamed = await callRoute(routes.updateVariableRoute, token, {
      path: `/api/v1/variables/${variable.id}`,
      method: "PUT",
      id: variable.id,
      body: { name: "token", value: "", secret: true },
    });
    expect(renamed.status).toBe(200);
    expect((await loadTeamVariables(await getDb(), ctx.team.id)).values.token).toBe(SECRET);

    const taken = await callRoute(routes.createVariableRoute, token, {
      path: "/api/v1/variables",
      method: "POST",
      body: { name: "REGION", value: "x" },
    });
    expect(taken.status).toBe(409);
    const invalid = await callRoute(routes.createVariableRoute, token, {
      path: "/api/v1/variables",
      method: "POST",
      body: { name: "1bad-name", value: "x" },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("name");

    const deleted = await callRoute(routes.deleteVariableRoute, token, {
      path: `/api/v1/variables/${variable.id}`,
      method: "DELETE",
      id: variable.id,
    });
    expect(deleted.status).toBe(204);
    expect((await callRoute(routes.getVariableRoute, token, { path: `/api/v1/variables/${variable.id}`, id: variable.id })).status).toBe(404);
  });

  it("reads with variables:read; writing needs variables:write and an admin role", async () => {
    const ctx = await makeTeamContext("admin");
    const reader = await appToken(ctx, ["variables:read"], "admin");
    expect((await callRoute(routes.listVariablesRoute, reader, { path: "/api/v1/variables" })).status).toBe(200);
    const noWrite = await callRoute(routes.createVariableRoute, reader, {
      path: "/api/v1/variables",
      method: "POST",
      body: { name: "a", value: "b" },
    });
    expect(noWrite.status).toBe(403);
    const member = await appToken(ctx, ["variables:read", "variables:write"], "member");
    expect((await callRoute(routes.listVariablesRoute, member, { path: "/api/v1/variables" })).status).toBe(200);
    const memberWrite = await callRoute(routes.createVariableRoute, member, {
      path: "/api/v1/variables",
      method: "POST",
      body: { name: "a", value: "b" },
    });
    expect(memberWrite.status).toBe(403);
    const other = await appToken(ctx, ["connections:read"], "admin");
    expect((await callRoute(routes.listVariablesRoute, other, { path: "/api/v1/variables" })).status).toBe(403);
  });

  it("is in the OpenAPI document under its scopes", () => {
    const doc = buildOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, { security?: { oauth2: string[] }[] }>>;
      components: { securitySchemes: { oauth2: { flows: Record<string, { scopes: Record<string, string> }> } } };
    };
    expect(doc.paths["/api/v1/variables"].get.security).toEqual([{ oauth2: ["variables:read"] }]);
    expect(doc.paths["/api/v1/variables"].post.security).toEqual([{ oauth2: ["variables:write"] }]);
    expect(doc.paths["/api/v1/variables/{id}"].put.security).toEqual([{ oauth2: ["variables:write"] }]);
    expect(JSON.stringify(doc.components.securitySchemes)).toContain("variables:write");
  });
});
