import "server-only";
import { createPrivateKey, webcrypto } from "node:crypto";
import * as oauth from "oauth4webapi";
import type { AssertionSigningAlg, ClientAuthSettings } from "./config";
import { OAuthConfigError } from "./errors";

/**
 * Client authentication at the token endpoint: the secret methods, and the JWT assertions of RFC 7523 §2.2
 * (client_secret_jwt with HS256, private_key_jwt with RS256/PS256/ES256), signed by oauth4webapi.
 */

const IMPORT_PARAMS: Record<AssertionSigningAlg, RsaHashedImportParams | EcKeyImportParams> = {
  RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  PS256: { name: "RSA-PSS", hash: "SHA-256" },
  ES256: { name: "ECDSA", namedCurve: "P-256" },
};

/**
 * A signing CryptoKey for `alg` from a PEM private key. Node parses the PEM (PKCS#8, PKCS#1 RSA or SEC1 EC),
 * WebCrypto checks the key fits the algorithm. Errors never quote the key.
 */
export async function importSigningKey(pem: string, alg: AssertionSigningAlg, what = "The private key"): Promise<CryptoKey> {
  let pkcs8: Buffer;
  try {
    const key = createPrivateKey({ key: pem.trim(), format: "pem" });
    pkcs8 = key.export({ type: "pkcs8", format: "der" });
  } catch {
    throw new OAuthConfigError(`${what} is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or an RSA / EC private key, unencrypted)`);
  }
  try {
    return (await webcrypto.subtle.importKey("pkcs8", pkcs8, IMPORT_PARAMS[alg], false, ["sign"])) as CryptoKey;
  } catch {
    const needs = alg === "ES256" ? "an EC P-256 key" : "an RSA key";
    throw new OAuthConfigError(`${what} does not fit ${alg}: ${alg} needs ${needs}`);
  }
}

/**
 * oauth4webapi's client and client authentication for the settings. `tokenEndpoint` is the assertion's
 * audience unless the provider wants its issuer identifier.
 */
export async function clientFor(config: ClientAuthSettings, tokenEndpoint: string): Promise<{ client: oauth.Client; auth: oauth.ClientAuth }> {
  // oauth4webapi needs a client_id even when no client authenticates (a JWT bearer grant without a client).
  const client: oauth.Client = { client_id: config.clientId || "unauthenticated-client" };
  if (config.clientAuth !== "none") client.token_endpoint_auth_method = config.clientAuth;
  const audience = config.assertionAudience === "issuer" && config.issuer ? config.issuer : tokenEndpoint;
  // oauth4webapi sets aud to the issuer; the provider may want the token endpoint (RFC 7523 §3).
  const withAudience: oauth.ModifyAssertionOptions = {
    [oauth.modifyAssertion]: (_header, payload) => {
      payload.aud = audience;
    },
  };
  switch (config.clientAuth) {
    case "none":
      return { client, auth: () => {} };
    case "client_secret_post":
      return { client, auth: oauth.ClientSecretPost(config.clientSecret ?? "") };
    case "client_secret_jwt":
      return { client, auth: oauth.ClientSecretJwt(config.clientSecret ?? "", withAudience) };
    case "private_key_jwt": {
      const key = await importSigningKey(config.privateKeyPem ?? "", config.signingAlg);
      return { client, auth: oauth.PrivateKeyJwt({ key, kid: config.keyId || undefined }, withAudience) };
    }
    default:
      return { client, auth: oauth.ClientSecretBasic(config.clientSecret ?? "") };
  }
}

/** What a client authentication sends that must never show: masked in every error. */
export function clientAuthSecrets(config: ClientAuthSettings): Array<string | undefined> {
  return [config.clientSecret, config.privateKeyPem, ...pemBodyLines(config.privateKeyPem)];
}

/** A PEM's base64 lines: a provider or a parser could quote a piece of the key rather than the whole. */
export function pemBodyLines(pem: string | undefined): string[] {
  return (pem ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("-----"));
}
