import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { serviceErrorAnswer } from "@/lib/api/responses";
import { toResponse } from "@/lib/inbound/answer";
import { routeErrorResponse } from "./route-error";
import { SERVICE_ERROR_STATUS, ServiceError, type ServiceErrorCode } from "./service-error";

// What the mocked connection lookup throws: the service error the route must map.
let lookupFailure: ServiceError = new ServiceError("unset");
vi.mock("@/db", () => ({ getDb: async () => ({}) }));
vi.mock("@/lib/auth/session", () => ({ getTeamContext: async () => ({ team: { id: "t" }, actor: { id: "u" }, role: "member" }) }));
vi.mock("@/lib/requests/resolve-connection", () => ({
  resolveRunConnection: async () => {
    throw lookupFailure;
  },
}));
vi.mock("@/lib/requests", () => ({ runRequest: async () => ({}) }));

const EXPECTED: Record<ServiceErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};
const codes = Object.keys(EXPECTED) as ServiceErrorCode[];

describe("service error statuses", () => {
  it("maps every code once", () => {
    expect(SERVICE_ERROR_STATUS).toEqual(EXPECTED);
  });

  it.each(codes)("%s has the same status in the REST API and in app routes", async (code) => {
    const error = new ServiceError("Nope.", code, { name: "Taken." });
    const rest = toResponse(serviceErrorAnswer(error));
    const app = routeErrorResponse(error, "test", "fallback");
    expect(rest.status).toBe(EXPECTED[code]);
    expect(app.status).toBe(EXPECTED[code]);
    expect(await rest.json()).toMatchObject({ error: code, error_description: "Nope.", fields: { "body.name": "Taken." } });
    expect(await app.json()).toEqual({ error: "Nope." });
  });

  it("answers anything else with a 500 that reveals nothing", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = routeErrorResponse(new Error("secret detail"), "test", "Please try again.");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secret detail");
  });
});

describe("the request builder's route", () => {
  it.each(codes)("answers a %s service error with its mapped status", async (code) => {
    const { POST } = await import("@/app/(app)/requests/run/route");
    lookupFailure = new ServiceError("Refused.", code);
    const response = await POST(
      new Request("http://app.test/requests/run", {
        method: "POST",
        body: JSON.stringify({ connectionId: null, spec: { url: "https://example.com/" } }),
      }),
    );
    expect(response.status).toBe(EXPECTED[code]);
    expect(await response.json()).toEqual({ error: "Refused." });
  });
});

describe("the request builder's route, a refused field", () => {
  it("passes the field errors on, for the form to put each message on its field", async () => {
    const { POST } = await import("@/app/(app)/requests/run/route");
    lookupFailure = new ServiceError("No variable named “base”.", "invalid", { "spec.url": "No variable named “base”." });
    const response = await POST(
      new Request("http://app.test/requests/run", {
        method: "POST",
        body: JSON.stringify({ connectionId: null, spec: { url: "https://example.com/{{vars.base}}" } }),
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "No variable named “base”.", fieldErrors: { "spec.url": "No variable named “base”." } });
  });
});

describe("route handlers", () => {
  const routes = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? routes(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
    );

  it("never map service errors to statuses themselves", () => {
    const found = routes(path.resolve("app"));
    expect(found.length).toBeGreaterThan(5);
    const ownMapping = found.filter((file) => /instanceof\s+ServiceError|\.code\s*===/.test(readFileSync(file, "utf8")));
    expect(ownMapping).toEqual([]);
  });
});
