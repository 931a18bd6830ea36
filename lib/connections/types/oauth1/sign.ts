import "server-only";
import { createHmac, createPrivateKey, randomBytes, sign, type KeyObject } from "node:crypto";
import OAuth from "oauth-1.0a";
import type { OutgoingRequest } from "@/lib/http/types";
import type { PLACEMENTS, SIGNATURE_METHODS } from "./form";

/**
 * Signs one request with OAuth 1.0a (RFC 5849). The oauth-1.0a library builds the signature base string
 * (§3.4.1) and the Authorization header; node:crypto computes the HMAC or RSA signature through its hash
 * hook. What we give it: the base string URI and the request's parameters decoded (query and form body), so
 * its own query parsing (which reads "+" as a plus, not a space) is never used.
 */

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  signatureMethod: (typeof SIGNATURE_METHODS)[number];
  privateKeyPem: string;
  placement: (typeof PLACEMENTS)[number];
  realm: string;
}

const FORM = "application/x-www-form-urlencoded";

class Signer extends OAuth {
  // The library's nonce comes from Math.random; a nonce must not be predictable. 128 bits, alphanumeric
  // (hex) so that servers with strict nonce character sets accept it.
  override getNonce(): string {
    return randomBytes(16).toString("hex");
  }
}

const hashFunctions: Record<OAuth1Credentials["signatureMethod"], (c: OAuth1Credentials) => OAuth.HashFunction> = {
  "HMAC-SHA1": () => (base, key) => createHmac("sha1", key).update(base).digest("base64"),
  "HMAC-SHA256": () => (base, key) => createHmac("sha256", key).update(base).digest("base64"),
  "RSA-SHA1": (c) => {
    const privateKey = rsaPrivateKey(c.privateKeyPem);
    return (base) => sign("sha1", Buffer.from(base, "utf8"), privateKey).toString("base64");
  },
  // The signature is the signing key itself: "consumer secret&token secret", each percent-encoded (§3.4.4).
  PLAINTEXT: () => (_base, key) => key,
};

/** Adds a fresh signature (new nonce and timestamp) to the request, in its header, query or form body. */
export function signRequest(req: OutgoingRequest, c: OAuth1Credentials): void {
  const form = formBody(req, c.placement);
  const params = requestParameters(req.url, form);
  const signer = new Signer({
    consumer: { key: c.consumerKey, secret: c.consumerSecret },
    signature_method: c.signatureMethod,
    hash_function: hashFunctions[c.signatureMethod](c),
    realm: c.placement === "header" && c.realm ? c.realm : undefined,
  });
  // §3.4.1.2: scheme and host lower case, default port left out (URL has done both), no query or fragment.
  const baseUri = `${req.url.protocol}//${req.url.host}${req.url.pathname}`;
  const signed = signer.authorize({ url: baseUri, method: req.method, data: params }, c.token ? { key: c.token, secret: c.tokenSecret } : undefined);
  // authorize() merges the request's own parameters into its answer: keep only the protocol parameters.
  const protocol: OAuth.Authorization = {
    oauth_consumer_key: signed.oauth_consumer_key,
    ...(signed.oauth_token !== undefined ? { oauth_token: signed.oauth_token } : {}),
    oauth_signature_method: signed.oauth_signature_method,
    oauth_timestamp: signed.oauth_timestamp,
    oauth_nonce: signed.oauth_nonce,
    oauth_version: signed.oauth_version,
    oauth_signature: signed.oauth_signature,
  };
  if (c.placement === "header") {
    req.headers.set("authorization", signer.toHeader(protocol).Authorization);
    return;
  }
  const pairs = Object.entries(protocol)
    .map(([k, v]) => `${signer.percentEncode(k)}=${signer.percentEncode(String(v))}`)
    .join("&");
  if (c.placement === "query") {
    // Appended as text so the user's own query keeps its exact encoding.
    req.url.search = req.url.search ? `${req.url.search}&${pairs}` : `?${pairs}`;
  } else {
    if (!form) req.headers.set("content-type", FORM);
    req.body = Buffer.concat([req.body ?? Buffer.alloc(0), Buffer.from(req.body?.length ? `&${pairs}` : pairs)]);
  }
}

/** The protocol parameters this module adds; a request already carrying one is refused rather than signed twice. */
const PROTOCOL_PARAMS = [
  "oauth_consumer_key",
  "oauth_token",
  "oauth_signature_method",
  "oauth_timestamp",
  "oauth_nonce",
  "oauth_version",
  "oauth_signature",
];

/**
 * The form body's parameters, which the signature covers (§3.4.1.3.1) when the body is
 * application/x-www-form-urlencoded; undefined for any other body. The body placement needs such a body (or
 * none on a method that may carry one, which becomes a form holding only the OAuth parameters).
 */
function formBody(req: OutgoingRequest, placement: OAuth1Credentials["placement"]): URLSearchParams | undefined {
  const contentType = req.headers.get("content-type");
  const isForm = contentType?.split(";")[0].trim().toLowerCase() === FORM;
  const form = isForm ? new URLSearchParams(Buffer.from(req.body ?? new Uint8Array()).toString("utf8")) : undefined;
  if (placement !== "body" || form) return form;
  if (req.method === "GET" || req.method === "HEAD") {
    throw new Error(
      `the signature goes in the form body, and a ${req.method} request has no body; use POST with a form body, or put the signature in the header or query`,
    );
  }
  if (req.body?.length || contentType) {
    throw new Error(
      `the signature goes in the form body, which needs an ${FORM} body; this request's body is ${contentType ?? "not a form"}: send a form body, or put the signature in the header or query`,
    );
  }
  return undefined;
}

/** The query's and the form body's parameters, decoded as forms are ("+" is a space), duplicates kept. */
function requestParameters(url: URL, form: URLSearchParams | undefined): OAuth.Param {
  const params: Record<string, string[]> = {};
  for (const [name, value] of [...url.searchParams, ...(form ?? [])]) {
    if (PROTOCOL_PARAMS.includes(name)) {
      throw new Error(`the request already has an ${name} parameter; remove it, the connection adds the OAuth parameters itself`);
    }
    // The library keeps parameters in plain objects: this name would set their prototype instead.
    if (name === "__proto__") throw new Error("a parameter named __proto__ cannot be signed; rename it");
    params[name] = [...(Object.hasOwn(params, name) ? params[name] : []), value];
  }
  return Object.fromEntries(Object.entries(params).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

function rsaPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    // Node's words (a decoder error) say nothing useful and nothing of the key is quoted.
    throw new Error("the RSA private key could not be read: paste an unencrypted PEM private key");
  }
  if (key.asymmetricKeyType !== "rsa") throw new Error(`RSA-SHA1 needs an RSA private key; this one is ${key.asymmetricKeyType ?? "not RSA"}`);
  return key;
}

const encoder = new OAuth({ consumer: { key: "", secret: "" } });

/**
 * PLAINTEXT puts the secrets on the wire percent-encoded once, then encoded again inside the header, query or
 * body: the once-encoded forms are what a masker must know to find them there.
 */
export function plaintextSecretForms(consumerSecret: string, tokenSecret: string): string[] {
  const consumer = encoder.percentEncode(consumerSecret);
  const token = encoder.percentEncode(tokenSecret);
  return [consumer, token, `${consumer}&${token}`].filter(Boolean);
}
