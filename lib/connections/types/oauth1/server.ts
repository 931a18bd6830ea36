import "server-only";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { onPremBaseUrl } from "../on-prem";
import { PLACEMENT_LABELS, type oauth1Form } from "./form";
import { plaintextSecretForms, signRequest } from "./sign";

type Config = ConfigOf<typeof oauth1Form>;

export const oauth1Server: ConnectionTypeServer<Config> = {
  urls: (c) => [onPremBaseUrl(c.host, c.port)].filter((u): u is string => !!u),
  baseUrl: (c) => onPremBaseUrl(c.host, c.port),
  // The signature covers the method and URL, and a nonce is good once: every hop is signed anew.
  signsEachHop: true,
  async apply(req, { config: c, secrets }) {
    signRequest(req, {
      consumerKey: c.consumerKey,
      consumerSecret: secrets.consumerSecret ?? "",
      token: c.token,
      tokenSecret: secrets.oauthTokenSecret ?? "",
      signatureMethod: c.signatureMethod,
      privateKeyPem: secrets.privateKeyPem ?? "",
      placement: c.placement,
      realm: c.realm,
    });
  },
  // With PLAINTEXT the signature is the secrets themselves; with the others it is good once. Masked either way.
  credentialQueryParams: (c) => (c.placement === "query" ? ["oauth_signature"] : []),
  derivedSecrets: (c, secrets) =>
    c.signatureMethod === "PLAINTEXT" ? plaintextSecretForms(secrets.consumerSecret ?? "", secrets.oauthTokenSecret ?? "") : [],
  curl: () => ({
    kind: "unsupported",
    note:
      "OAuth 1.0a signs each request anew (a fresh nonce and timestamp over its method, URL and form fields), which curl cannot do; " +
      "a signature computed here would be good for one request within minutes, so none is exported. Send the request from Plugboard.",
  }),
  summary: (c) => [
    { label: "Signature", value: c.signatureMethod },
    { label: "Placement", value: PLACEMENT_LABELS[c.placement] },
    ...(c.token ? [] : [{ label: "Token", value: "none (two-legged)" }]),
    ...(c.realm && c.placement === "header" ? [{ label: "Realm", value: c.realm }] : []),
    ...(c.host ? [{ label: "Host", value: onPremBaseUrl(c.host, c.port) ?? c.host }] : []),
  ],
};
