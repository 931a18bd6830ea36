import { describe, expect, it } from "vitest";
import { bundleApplicationSchema } from "@/lib/bundle/schema";
import { clientKeyColumns, jwksUriProblem, parseClientJwks } from "./client-keys-schema";

const EC_PUBLIC = {
  kty: "EC",
  crv: "P-256",
  x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
  kid: "a",
};

describe("private_key_jwt key registration", () => {
  it("takes a JWK Set of public RSA/EC/OKP keys and names what is wrong with anything else", () => {
    expect(parseClientJwks(JSON.stringify({ keys: [EC_PUBLIC] }))).toEqual({ jwks: { keys: [EC_PUBLIC] } });
    expect(parseClientJwks("not json")).toMatchObject({ problem: expect.stringContaining("JSON Web Key Set") });
    expect(parseClientJwks(JSON.stringify([EC_PUBLIC]))).toMatchObject({ problem: expect.stringContaining('"keys"') });
    expect(parseClientJwks(JSON.stringify({ keys: [] }))).toMatchObject({ problem: "The JWK Set has no key." });
    expect(parseClientJwks(JSON.stringify({ keys: [{ ...EC_PUBLIC, d: "secret" }] }))).toMatchObject({ problem: expect.stringContaining('("d")') });
    expect(parseClientJwks(JSON.stringify({ keys: [{ kty: "oct", k: "c2VjcmV0" }] }))).toMatchObject({ problem: expect.stringContaining("kty") });
    expect(parseClientJwks(JSON.stringify({ keys: Array.from({ length: 11 }, () => EC_PUBLIC) }))).toMatchObject({ problem: "At most 10 keys." });
    expect(jwksUriProblem("https://app.example/jwks.json")).toBeNull();
    expect(jwksUriProblem("ftp://app.example/jwks.json")).toBe("Use an https URL.");
    expect(jwksUriProblem("https://user:pw@app.example/jwks.json")).toContain("credentials");
  });

  it("stores keys only for private_key_jwt", () => {
    expect(clientKeyColumns({ authMethod: "client_secret_basic", jwks: JSON.stringify({ keys: [EC_PUBLIC] }), jwksUri: "" })).toEqual({
      jwks: null,
      jwksUri: null,
    });
    expect(clientKeyColumns({ authMethod: "private_key_jwt", jwks: "", jwksUri: " https://app.example/jwks.json " })).toEqual({
      jwks: null,
      jwksUri: "https://app.example/jwks.json",
    });
  });

  it("a team bundle carries a private_key_jwt application's public keys, and refuses one without keys", () => {
    const app = {
      id: "5b0f4f2e-8c57-4b43-9d58-0c7a3c6e2f11",
      name: "Keyed",
      grantType: "client_credentials",
      scopes: ["flows:read"],
      role: "member",
    };
    expect(bundleApplicationSchema.parse({ ...app, authMethod: "private_key_jwt", jwks: { keys: [EC_PUBLIC] } })).toMatchObject({
      jwks: { keys: [EC_PUBLIC] },
      jwksUri: null,
    });
    expect(bundleApplicationSchema.safeParse({ ...app, authMethod: "private_key_jwt" }).success).toBe(false);
    expect(bundleApplicationSchema.parse({ ...app, authMethod: "client_secret_post" })).toMatchObject({ jwks: null, jwksUri: null });
  });
});
