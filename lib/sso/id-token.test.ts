import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idTokenSignatureValid } from "./id-token";

// A provider on loopback publishing one key; tokens signed with another key, or for another issuer or
// audience, or expired, must be refused.
let server: http.Server;
let issuer = "";
let published: CryptoKey;
let other: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  published = pair.privateKey;
  other = (await generateKeyPair("RS256")).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` }));
    } else if (req.url === "/jwks") res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function token(key: CryptoKey, claims: { iss?: string; aud?: string; exp?: number } = {}) {
  return new SignJWT({ sub: "u1", nonce: "n" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? "client-1")
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(key);
}

describe("idTokenSignatureValid", () => {
  it("accepts a token signed with the provider's published key, through the fetch it is given", async () => {
    let calls = 0;
    const counting = ((url: string | URL | Request, init?: RequestInit) => {
      calls++;
      return fetch(url, init);
    }) as typeof fetch;
    expect(await idTokenSignatureValid({ issuer, clientId: "client-1" }, await token(published), counting)).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it("refuses a token signed with another key, even with the same kid", async () => {
    expect(await idTokenSignatureValid({ issuer, clientId: "client-1" }, await token(other), fetch)).toBe(false);
  });

  it("refuses another issuer, another audience, an expired token, and no token", async () => {
    const p = { issuer, clientId: "client-1" };
    expect(await idTokenSignatureValid(p, await token(published, { iss: "http://127.0.0.1:1" }), fetch)).toBe(false);
    expect(await idTokenSignatureValid(p, await token(published, { aud: "client-2" }), fetch)).toBe(false);
    expect(await idTokenSignatureValid(p, await token(published, { exp: Math.floor(Date.now() / 1000) - 3600 }), fetch)).toBe(false);
    expect(await idTokenSignatureValid(p, undefined, fetch)).toBe(false);
  });
});
