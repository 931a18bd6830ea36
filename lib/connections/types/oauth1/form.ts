import { z } from "zod";
import { LIMITS, line, text } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, optionalHost, optionalPort, required } from "../common";
import { defineConnectionForm } from "../descriptor";
import { ON_PREM_HOST, ON_PREM_PORT } from "../on-prem";

/** OAuth 1.0a (RFC 5849): every request signed with the consumer's and the token's secrets, or an RSA key. */

export const SIGNATURE_METHODS = ["HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"] as const;
export const PLACEMENTS = ["header", "query", "body"] as const;

export const PLACEMENT_LABELS: Record<(typeof PLACEMENTS)[number], string> = {
  header: "Authorization header",
  query: "Query parameters",
  body: "Form body",
};

/** A secret that may be left empty (which ones are needed depends on the signature method). */
const optionalSecret = line(LIMITS.secret).default("");

const schema = z
  .object({
    type: z.literal("oauth1"),
    ...commonFields,
    consumerKey: required("the consumer key"),
    consumerSecret: optionalSecret,
    token: line(LIMITS.short).trim().default(""),
    // Not `tokenSecret`: the stored secrets also hold accessToken/refreshToken/tokenType.
    oauthTokenSecret: optionalSecret,
    signatureMethod: z.enum(SIGNATURE_METHODS, "Choose HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT.").default("HMAC-SHA1"),
    privateKeyPem: text(LIMITS.pem).trim().default(""),
    placement: z.enum(PLACEMENTS, "Choose header, query or body.").default("header"),
    // Quoted in the Authorization header as it is: no quote or backslash can break out of it.
    realm: line(LIMITS.short)
      .trim()
      .default("")
      .refine((r) => !/["\\]/.test(r), "The realm cannot contain quotes or backslashes."),
    host: optionalHost,
    port: optionalPort,
  })
  .superRefine((v, ctx) => {
    const rsa = v.signatureMethod === "RSA-SHA1";
    if (rsa && !/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/.test(v.privateKeyPem)) {
      ctx.addIssue({
        code: "custom",
        path: ["privateKeyPem"],
        message: "Paste the RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----, not encrypted).",
      });
    }
    if (!rsa && !v.consumerSecret) ctx.addIssue({ code: "custom", path: ["consumerSecret"], message: "Enter the consumer secret." });
    if (!rsa && v.token && !v.oauthTokenSecret) {
      ctx.addIssue({ code: "custom", path: ["oauthTokenSecret"], message: "Enter the token secret that came with the token." });
    }
    if (v.oauthTokenSecret && !v.token) ctx.addIssue({ code: "custom", path: ["token"], message: "Enter the token this secret belongs to." });
  });

export const oauth1Form = defineConnectionForm({
  type: "oauth1",
  label: "OAuth 1.0a",
  description: "Every request signed (RFC 5849) with a consumer key and secret and an access token, or an RSA key.",
  schema,
  defaults: {
    type: "oauth1",
    ...COMMON_DEFAULTS,
    consumerKey: "",
    consumerSecret: "",
    token: "",
    oauthTokenSecret: "",
    signatureMethod: "HMAC-SHA1",
    privateKeyPem: "",
    placement: "header",
    realm: "",
    host: "",
    port: "",
  },
  secretFields: ["consumerSecret", "oauthTokenSecret", "privateKeyPem"],
  fields: [
    {
      kind: "select",
      name: "signatureMethod",
      label: "Signature Method",
      options: [
        ["HMAC-SHA1", "HMAC-SHA1"],
        ["HMAC-SHA256", "HMAC-SHA256"],
        ["RSA-SHA1", "RSA-SHA1 (signed with your RSA private key)"],
        ["PLAINTEXT", "PLAINTEXT (sends the secrets themselves: only over https)"],
      ],
    },
    {
      kind: "row",
      fields: [
        { kind: "text", name: "consumerKey", label: "Consumer Key" },
        {
          kind: "text",
          name: "consumerSecret",
          label: "Consumer Secret",
          secret: true,
          when: (v) => v.signatureMethod !== "RSA-SHA1",
        },
      ],
    },
    {
      kind: "textarea",
      name: "privateKeyPem",
      label: "RSA Private Key",
      hint: "PEM, not encrypted. The service holds the matching public key.",
      placeholder: "-----BEGIN PRIVATE KEY-----",
      secret: true,
      file: { accept: ".pem,.key", encoding: "text" },
      when: (v) => v.signatureMethod === "RSA-SHA1",
    },
    {
      kind: "row",
      fields: [
        { kind: "text", name: "token", label: "Access Token", hint: "Leave empty for requests signed by the consumer alone (two-legged)." },
        { kind: "text", name: "oauthTokenSecret", label: "Token Secret", secret: true, when: (v) => v.signatureMethod !== "RSA-SHA1" },
      ],
    },
    {
      kind: "select",
      name: "placement",
      label: "Signature Placement",
      hint: "Form body: only for application/x-www-form-urlencoded requests (the signature covers the form's fields too); requests with any other body, and GETs, are refused, so Verify needs the POST test method.",
      options: [
        ["header", PLACEMENT_LABELS.header],
        ["query", PLACEMENT_LABELS.query],
        ["body", `${PLACEMENT_LABELS.body} (form-encoded requests only)`],
      ],
    },
    {
      kind: "text",
      name: "realm",
      label: "Realm",
      hint: "Optional; sent in the Authorization header only, and not signed.",
      when: (v) => v.placement === "header",
    },
    {
      kind: "row",
      fields: [
        { kind: "text", name: "host", ...ON_PREM_HOST },
        { kind: "text", name: "port", ...ON_PREM_PORT },
      ],
    },
  ],
});
