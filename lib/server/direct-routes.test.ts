import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/api/registry";
import { DIRECT_ROUTE_PREFIXES } from "./direct-dispatch";
import { compileDirectRoutes, directRoutes, matchDirectRoute } from "./direct-routes";

const routes = directRoutes();
const compiled = compileDirectRoutes(routes);
const match = (method: string, url: string) => {
  const found = matchDirectRoute(compiled, method, url);
  return found && { path: found.route.path, params: found.params };
};

describe("direct routes", () => {
  it("serve every REST operation and the OAuth token, revocation and introspection endpoints", () => {
    const served = routes.map((route) => `${route.method} ${route.path}`);
    expect(served).toEqual(expect.arrayContaining(API_ROUTES.map((route) => `${route.method} ${route.path}`)));
    expect(served).toEqual(expect.arrayContaining(["POST /oauth2/token", "POST /oauth2/revoke", "POST /oauth2/introspect"]));
    expect(new Set(served).size).toBe(served.length);
  });

  it("all lie under the prefixes the published dispatch checks before it loads them", () => {
    for (const route of routes)
      expect(
        DIRECT_ROUTE_PREFIXES.some((prefix) => route.path.startsWith(prefix)),
        route.path,
      ).toBe(true);
  });

  it("each is also exported by its app/ route file, which serves it under next dev", () => {
    for (const route of routes) {
      const file = path.join("app", route.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, "utf8"), `${file} exports ${route.method}`).toMatch(new RegExp(`export (const|async function) ${route.method}\\b`));
    }
  });

  it("match the method and the exact path, with parameters decoded as Next.js decodes them", () => {
    expect(match("POST", "/oauth2/token")).toEqual({ path: "/oauth2/token", params: {} });
    expect(match("GET", "/api/v1/connections?q=a&page=2")).toEqual({ path: "/api/v1/connections", params: {} });
    expect(match("GET", "/api/v1/connections/abc%20d")).toEqual({ path: "/api/v1/connections/{id}", params: { id: "abc d" } });
    expect(match("DELETE", "/api/v1/applications/a1/secrets/s2")).toEqual({
      path: "/api/v1/applications/{id}/secrets/{secretId}",
      params: { id: "a1", secretId: "s2" },
    });
  });

  it("leave everything else to Next.js (its 405, its trailing-slash redirect, its 404)", () => {
    expect(match("GET", "/oauth2/token")).toBeUndefined();
    expect(match("PUT", "/api/v1/requests/run")).toBeUndefined();
    expect(match("GET", "/api/v1/connections/")).toBeUndefined();
    expect(match("GET", "/api/v1/connections/a/b")).toBeUndefined();
    expect(match("GET", "/api/v1/connections/%E0%A4%A")).toBeUndefined();
    expect(match("GET", "/api/v1/openapi.json")).toBeUndefined();
    expect(match("GET", "/connections")).toBeUndefined();
    expect(match("POST", "/oauth2/token/../token")).toBeUndefined();
  });
});
