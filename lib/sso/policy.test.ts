import { describe, expect, it } from "vitest";
import { parseSsoProviders, ssoProviderSchema } from "./config";
import { checkClaims, desiredRoles } from "./policy";

const provider = ssoProviderSchema.parse({
  id: "acme",
  label: "Acme",
  issuer: "https://id.acme.example",
  clientId: "c",
  clientSecret: "s",
  allowedDomains: ["acme.example"],
  defaultTeam: "Everyone",
  groupMappings: [
    { group: "pb-admins", team: "Ops", role: "admin" },
    { group: "pb-users", team: "Ops", role: "member" },
    { group: "pb-admins", team: "Everyone", role: "admin" },
  ],
});

describe("SSO provider settings", () => {
  it("fills the defaults: scopes, email_verified required, member role, groups claim", () => {
    const [p] = parseSsoProviders(
      JSON.stringify([{ id: "kc", label: "Keycloak", issuer: "https://kc.example/realms/x", clientId: "a", clientSecret: "b" }]),
    );
    expect(p).toMatchObject({
      scopes: "openid email profile",
      requireEmailVerified: true,
      defaultRole: "member",
      groupsClaim: "groups",
      allowedDomains: [],
    });
  });

  it("names the bad field and never echoes the secret", () => {
    expect(() =>
      parseSsoProviders(JSON.stringify([{ id: "kc", label: "K", issuer: "http://kc.example", clientId: "a", clientSecret: "hunter2" }])),
    ).toThrow(/PLUGBOARD_OIDC_PROVIDERS\[0\.issuer\]: The issuer must be https/);
    expect(() => parseSsoProviders("{not json hunter2")).toThrow(/^PLUGBOARD_OIDC_PROVIDERS is not valid JSON$/);
    const twice = { id: "kc", label: "K", issuer: "https://kc.example", clientId: "a", clientSecret: "b" };
    expect(() => parseSsoProviders(JSON.stringify([twice, twice]))).toThrow(/same id/);
    expect(parseSsoProviders(undefined)).toEqual([]);
  });

  it("takes http:// only for a loopback issuer (test and local providers)", () => {
    expect(
      parseSsoProviders(JSON.stringify([{ id: "t", label: "T", issuer: "http://127.0.0.1:4000", clientId: "a", clientSecret: "b" }])),
    ).toHaveLength(1);
  });
});

describe("checkClaims", () => {
  const good = { sub: "u1", email: "Ann@Acme.Example", email_verified: true, name: "Ann", groups: ["pb-users"] };

  it("accepts a verified email of an allowed domain, lowercased, with its groups", () => {
    expect(checkClaims(provider, good)).toEqual({
      ok: true,
      identity: { subject: "u1", email: "ann@acme.example", name: "Ann", groups: ["pb-users"] },
    });
  });

  it("refuses an unverified email unless the provider does not require it", () => {
    expect(checkClaims(provider, { ...good, email_verified: false })).toMatchObject({ ok: false, reason: "email_unverified" });
    expect(checkClaims(provider, { ...good, email_verified: undefined })).toMatchObject({ ok: false, reason: "email_unverified" });
    expect(checkClaims(provider, { ...good, email_verified: "true" })).toMatchObject({ ok: true });
    expect(checkClaims({ ...provider, requireEmailVerified: false }, { ...good, email_verified: false })).toMatchObject({ ok: true });
  });

  it("refuses a domain not in the list, including a look-alike subdomain", () => {
    expect(checkClaims(provider, { ...good, email: "ann@evil.example" })).toMatchObject({ ok: false, reason: "domain_not_allowed" });
    expect(checkClaims(provider, { ...good, email: "ann@acme.example.evil.example" })).toMatchObject({ reason: "domain_not_allowed" });
    expect(checkClaims(provider, { ...good, email: "ann@x.acme.example" })).toMatchObject({ reason: "domain_not_allowed" });
    expect(checkClaims({ ...provider, allowedDomains: [] }, { ...good, email: "ann@evil.example" })).toMatchObject({ ok: true });
  });

  it("refuses a token without an email", () => {
    expect(checkClaims(provider, { sub: "u1", email_verified: true })).toMatchObject({ ok: false, reason: "email_missing" });
  });

  it("reads a single group given as a string, and another claim name", () => {
    expect(checkClaims({ ...provider, groupsClaim: "roles" }, { ...good, roles: "pb-admins" })).toMatchObject({
      identity: { groups: ["pb-admins"] },
    });
  });
});

describe("desiredRoles", () => {
  it("gives the default team its role and each mapped team the highest role of the groups held", () => {
    expect(Object.fromEntries(desiredRoles(provider, ["pb-users"]))).toEqual({ Ops: "member", Everyone: "member" });
    expect(Object.fromEntries(desiredRoles(provider, ["pb-users", "pb-admins"]))).toEqual({ Ops: "admin", Everyone: "admin" });
  });

  it("names a mapped team with no membership when no group maps to it, so it is removed", () => {
    expect(Object.fromEntries(desiredRoles(provider, []))).toEqual({ Ops: null, Everyone: "member" });
    expect(Object.fromEntries(desiredRoles({ ...provider, defaultTeam: undefined }, ["other"]))).toEqual({ Ops: null, Everyone: null });
  });
});
