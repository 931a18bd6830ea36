import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { API_ROUTES } from "./registry";

describe("OpenAPI document", () => {
  it("describes each registered route with its scope, role and parameters from the zod schemas", () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const op = doc.paths["/api/v1/audit-log"].get as {
      security: unknown;
      "x-required-role": string;
      parameters: { name: string; in: string; schema: Record<string, unknown> }[];
      responses: Record<string, { content?: { "application/json": { schema: { properties: Record<string, unknown> } } } }>;
    };
    expect(op.security).toEqual([{ oauth2: ["audit.log:read"] }]);
    expect(op["x-required-role"]).toBe("admin");
    expect(op.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["query:action", "query:page"]);
    expect(op.parameters[1].schema).toMatchObject({ type: "integer", minimum: 1, default: 1 });
    expect(Object.keys(op.responses["200"].content!["application/json"].schema.properties)).toEqual(["events", "page", "hasNext"]);
    expect(Object.keys(doc.components.securitySchemes.oauth2.flows.clientCredentials.scopes)).toContain("connections:write");
    // Only operations that send requests out can be refused as busy.
    const responses = (p: string, m: "get" | "post") => Object.keys((doc.paths[p][m] as { responses: object }).responses);
    expect(responses("/api/v1/requests/run", "post")).toContain("429");
    expect(op.responses["429"]).toBeUndefined();
  });

  it("has a Next.js route file exporting each registered operation", () => {
    for (const route of API_ROUTES) {
      const file = path.join("app", route.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect(existsSync(file), `${file} is missing`).toBe(true);
      expect(readFileSync(file, "utf8")).toMatch(new RegExp(`export const ${route.method} = apiRouteHandler\\(`));
    }
  });
});
