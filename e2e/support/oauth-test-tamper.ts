import type { KeyObject } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, type JWTHeaderParameters, SignJWT } from "jose";

/**
 * How the OAuth test server alters the next ID token it issues for an account (its browser tests of
 * Plugboard's own sign-in): `nonce` and `iss` re-sign a changed claim with the provider's own key (only a
 * nonce or issuer check refuses them); `signature` changes the payload (another email) under the provider's
 * original signature (only a signature check refuses it); `resign` re-signs it unchanged, which must be
 * accepted, so the refusals of the others are their altered part's and not the re-signing's.
 */
export const ID_TOKEN_TAMPERS = ["nonce", "iss", "signature", "resign"] as const;
export type IdTokenTamper = (typeof ID_TOKEN_TAMPERS)[number];

export function isIdTokenTamper(value: string | null): value is IdTokenTamper {
  return (ID_TOKEN_TAMPERS as readonly (string | null)[]).includes(value);
}

export async function tamperIdToken(idToken: string, how: IdTokenTamper, signingKey: KeyObject): Promise<string> {
  const claims = decodeJwt(idToken);
  if (how === "signature") {
    const [header, , signature] = idToken.split(".");
    const forged = { ...claims, email: `forged-${String(claims.email)}` };
    return `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`;
  }
  const altered =
    how === "nonce" ? { ...claims, nonce: `${String(claims.nonce)}-forged` } : how === "iss" ? { ...claims, iss: "http://127.0.0.1:9" } : claims;
  return new SignJWT(altered).setProtectedHeader(decodeProtectedHeader(idToken) as JWTHeaderParameters).sign(signingKey);
}
