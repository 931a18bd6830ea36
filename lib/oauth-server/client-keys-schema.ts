import type { JWK } from "jose";
import type { z } from "zod";

/**
 * How a private_key_jwt application's public keys are registered (RFC 7591 §2 jwks / jwks_uri): a pasted
 * JWK Set or the https URL it is published at, never both. Client-safe (the forms check it too).
 */

// Private members of RSA/EC/OKP keys and the key of a symmetric one: a JWKS registered here holds public keys only.
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const KEY_TYPES = ["RSA", "EC", "OKP"];
export const MAX_CLIENT_KEYS = 10;
export const JWKS_MAX_CHARS = 32_000;

export type ClientKeySet = { keys: JWK[] };

/** The JWK Set in `text`, or the reason it cannot be registered (a message for the JWKS field). */
export function parseClientJwks(text: string): { jwks: ClientKeySet } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'Paste a JSON Web Key Set: {"keys": [ ... ]}.' };
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== "object" || value === null || !Array.isArray(keys)) return { problem: 'A JWK Set is an object with a "keys" array.' };
  if (keys.length === 0) return { problem: "The JWK Set has no key." };
  if (keys.length > MAX_CLIENT_KEYS) return { problem: `At most ${MAX_CLIENT_KEYS} keys.` };
  for (const [index, key] of keys.entries()) {
    if (typeof key !== "object" || key === null || Array.isArray(key)) return { problem: `Key ${index + 1} is not a JSON object.` };
    const jwk = key as Record<string, unknown>;
    if (!KEY_TYPES.includes(String(jwk.kty))) return { problem: `Key ${index + 1}: kty must be one of ${KEY_TYPES.join(", ")}.` };
    const secret = PRIVATE_MEMBERS.find((member) => member in jwk);
    if (secret) return { problem: `Key ${index + 1} contains private key material ("${secret}"): register the public key only.` };
  }
  // Checked above to be public RSA/EC/OKP keys; jose checks the rest of each key when it imports it.
  return { jwks: { keys: keys as JWK[] } };
}

/** The jwks_uri problem, or null: an absolute http(s) URL (http only reaches hosts an admin allowed). */
export function jwksUriProblem(value: string): string | null {
  if (!URL.canParse(value)) return "Enter an absolute URL, like https://app.example.com/.well-known/jwks.json.";
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https URL.";
  if (url.username || url.password) return "Remove the credentials from the URL.";
  return null;
}

/** Adds the issues of the key fields to a schema whose value has authMethod, jwks (text) and jwksUri. */
export function checkClientKeys(value: { authMethod: string; jwks: string; jwksUri: string }, issue: z.RefinementCtx): void {
  if (value.authMethod !== "private_key_jwt") return;
  const jwks = value.jwks.trim();
  const jwksUri = value.jwksUri.trim();
  if (!jwks && !jwksUri) {
    issue.addIssue({ code: "custom", path: ["jwks"], message: "Paste the application's JWK Set, or enter its JWKS URL." });
    return;
  }
  if (jwks && jwksUri) {
    issue.addIssue({ code: "custom", path: ["jwksUri"], message: "Give either a JWK Set or a JWKS URL, not both." });
    return;
  }
  if (jwks) {
    const parsed = parseClientJwks(jwks);
    if ("problem" in parsed) issue.addIssue({ code: "custom", path: ["jwks"], message: parsed.problem });
  } else {
    const problem = jwksUriProblem(jwksUri);
    if (problem) issue.addIssue({ code: "custom", path: ["jwksUri"], message: problem });
  }
}

/** The columns an input's key fields are stored in: both null unless the method is private_key_jwt. */
export function clientKeyColumns(value: { authMethod: string; jwks: string; jwksUri: string }): {
  jwks: ClientKeySet | null;
  jwksUri: string | null;
} {
  if (value.authMethod !== "private_key_jwt") return { jwks: null, jwksUri: null };
  const jwks = value.jwks.trim();
  if (!jwks) return { jwks: null, jwksUri: value.jwksUri.trim() || null };
  const parsed = parseClientJwks(jwks);
  // The schema refused a bad one already; this is a service called with an unchecked value.
  if ("problem" in parsed) throw new Error(`jwks: ${parsed.problem}`);
  return { jwks: parsed.jwks, jwksUri: null };
}
