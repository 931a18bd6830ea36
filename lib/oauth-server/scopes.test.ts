import { describe, expect, it } from "vitest";
import { createApplicationSchema, redirectUriProblem, splitRedirectUris } from "./schemas";
import { parseScopeParam } from "./scopes";

describe("scope parameter", () => {
  it("splits on whitespace, drops duplicates and rejects characters RFC 6749 §3.3 forbids", () => {
    expect(parseScopeParam(undefined)).toEqual([]);
    expect(parseScopeParam("  connections:read   audit.log:read connections:read ")).toEqual(["connections:read", "audit.log:read"]);
    expect(parseScopeParam('bad"quote')).toBeNull();
    expect(parseScopeParam("back\\slash")).toBeNull();
  });
});

describe("application schema", () => {
  it("requires exact, fragment-free https (or loopback http) redirect URIs for authorization code clients", () => {
    expect(redirectUriProblem("https://app.example/cb")).toBeNull();
    expect(redirectUriProblem("http://localhost:8080/cb")).toBeNull();
    expect(redirectUriProblem("http://app.example/cb")).toMatch(/https/);
    expect(redirectUriProblem("https://app.example/cb#x")).toMatch(/fragment/);
    expect(redirectUriProblem("/relative")).toMatch(/absolute/);
    const base = { name: "A", scopes: ["connections:read"], grantType: "authorization_code" };
    expect(createApplicationSchema.safeParse({ ...base, redirectUris: "" }).success).toBe(false);
    const parsed = createApplicationSchema.parse({ ...base, redirectUris: "https://a.example/cb\n\nhttps://b.example/cb\n" });
    // The parsed output must parse again: the form sends it to the server action.
    expect(createApplicationSchema.parse(parsed)).toEqual(parsed);
    expect(splitRedirectUris(parsed.redirectUris)).toEqual(["https://a.example/cb", "https://b.example/cb"]);
    expect(createApplicationSchema.safeParse({ name: "A", scopes: [] }).success).toBe(false);
    expect(createApplicationSchema.safeParse({ name: "A", scopes: ["admin:everything"] }).success).toBe(false);
  });
});
