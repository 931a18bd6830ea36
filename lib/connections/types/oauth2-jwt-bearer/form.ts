import { z } from "zod";
import { ASSERTION_SIGNING_ALGS } from "@/lib/oauth-client/config";
import { LIMITS, line, text } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, httpUrl, required, splitList } from "../common";
import { defineConnectionForm, type FormField } from "../descriptor";
import {
  CLIENT_AUTH_DEFAULTS,
  checkClientAuth,
  clientAuthFields,
  clientAuthFormFields,
  clientAuthIssuerField,
  clientAuthIssuerFormField,
  privateKeyPem,
  SIGNING_ALG_OPTIONS,
} from "../oauth-client-auth";

/** Bounds of the assertion's lifetime (exp - iat): long enough to reach the token endpoint, short enough to be useless if stolen. */
const LIFETIME = { min: 10, max: 3600 } as const;

const schema = z
  .object({
    type: z.literal("oauth2_jwt_bearer"),
    ...commonFields,
    tokenUrl: httpUrl("the token URL"),
    /** The assertion's iss: the service account. */
    assertionIssuer: required("the issuer (iss), e.g. the service account's e-mail or client ID"),
    /** sub: whom the token acts for; empty: the issuer itself. */
    subject: line(LIMITS.short).trim().default(""),
    /** aud: empty means the token URL. */
    audience: line(LIMITS.url).trim().default(""),
    scopes: text(LIMITS.list).default(""),
    scopeInAssertion: z.boolean().default(false),
    assertionKey: privateKeyPem,
    assertionKeyId: line(LIMITS.short).trim().default(""),
    assertionAlg: z.enum(ASSERTION_SIGNING_ALGS).default("RS256"),
    assertionLifetime: line(LIMITS.short)
      .trim()
      .default("300")
      .refine(
        (v) => /^\d{1,5}$/.test(v) && Number(v) >= LIFETIME.min && Number(v) <= LIFETIME.max,
        `Enter seconds between ${LIFETIME.min} and ${LIFETIME.max}.`,
      ),
    /** Only for providers that also authenticate the client on this grant; empty: no client authentication. */
    clientId: line(LIMITS.short).trim().default(""),
    ...clientAuthFields,
    ...clientAuthIssuerField,
  })
  .superRefine((v, ctx) => {
    if (!v.assertionKey.trim())
      ctx.addIssue({ code: "custom", path: ["assertionKey"], message: "Paste the service account's private key, or load its .pem file." });
    if (v.clientId) checkClientAuth(v, ctx);
    if (splitList(v.scopes).length > 100) ctx.addIssue({ code: "custom", path: ["scopes"], message: "Use at most 100 scopes." });
  });

type Input = z.input<typeof schema>;

/** Client authentication is optional on this grant: its controls show once a client ID is entered. */
const withClient = (v: { clientId?: string }) => !!v.clientId?.trim();

const fields: ReadonlyArray<FormField<Input>> = [
  { kind: "text", name: "tokenUrl", label: "Token URL", placeholder: "https://oauth2.example.com/token" },
  {
    kind: "row",
    fields: [
      { kind: "text", name: "assertionIssuer", label: "Issuer (iss)", placeholder: "reporting@project.iam.example.com" },
      { kind: "text", name: "subject", label: "Subject (sub)", hint: "Whom the token acts for. Empty: the issuer itself." },
    ],
  },
  { kind: "text", name: "audience", label: "Audience (aud)", hint: "Empty: the token URL." },
  { kind: "text", name: "scopes", label: "Scopes", placeholder: "read write", hint: "Separated by spaces or commas." },
  {
    kind: "checkbox",
    name: "scopeInAssertion",
    label: "Send the scopes as a claim of the assertion (Google service accounts) instead of a parameter",
  },
  {
    kind: "textarea",
    name: "assertionKey",
    label: "Private Key (PEM)",
    secret: true,
    placeholder: "-----BEGIN PRIVATE KEY-----",
    hint: "Signs the assertion; the provider holds its public half. PKCS#8, RSA or EC, unencrypted.",
    file: { accept: ".pem,.key", encoding: "text" },
  },
  {
    kind: "row",
    fields: [
      { kind: "text", name: "assertionKeyId", label: "Key ID (kid)", hint: "Optional." },
      { kind: "select", name: "assertionAlg", label: "Signing Algorithm", options: SIGNING_ALG_OPTIONS },
      { kind: "text", name: "assertionLifetime", label: "Assertion Lifetime (seconds)" },
    ],
  },
  { kind: "text", name: "clientId", label: "Client ID", hint: "Only if the provider also authenticates the client on this grant." },
  ...clientAuthFormFields(withClient),
  clientAuthIssuerFormField(withClient),
];

export const oauth2JwtBearerForm = defineConnectionForm({
  type: "oauth2_jwt_bearer",
  label: "OAuth 2.0 JWT bearer (service account)",
  description: "A JWT signed with a service account's private key, exchanged for an access token (RFC 7523).",
  schema,
  defaults: {
    type: "oauth2_jwt_bearer",
    ...COMMON_DEFAULTS,
    tokenUrl: "",
    assertionIssuer: "",
    subject: "",
    audience: "",
    scopes: "",
    scopeInAssertion: false,
    assertionKey: "",
    assertionKeyId: "",
    assertionAlg: "RS256",
    assertionLifetime: "300",
    clientId: "",
    ...CLIENT_AUTH_DEFAULTS,
    issuer: "",
  },
  secretFields: ["assertionKey", "clientSecret", "privateKey"],
  holdsToken: () => true,
  fields,
});
