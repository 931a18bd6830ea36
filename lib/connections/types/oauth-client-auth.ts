import { z } from "zod";
import { ASSERTION_AUDIENCES, ASSERTION_SIGNING_ALGS, CLIENT_AUTH_METHODS } from "@/lib/oauth-client/config";
import { LIMITS, line, text } from "@/lib/validation/fields";
import { optionalHttpUrl } from "./common";
import type { FormField } from "./descriptor";

/**
 * How an OAuth connection's client authenticates at the token endpoint, for every OAuth type to spread into its
 * schema: client_secret_basic / client_secret_post (RFC 6749 §2.3.1), client_secret_jwt (HS256 assertion) and
 * private_key_jwt (RFC 7523 §2.2, assertion signed with a private key; no client secret). Client-safe: the
 * server half is oauth-client-auth-server.ts.
 *
 * In a type: spread `clientAuthFields` (and `clientAuthIssuerField` unless the schema already has `issuer`),
 * call `checkClientAuth` from its superRefine, list `clientSecret` and `privateKey` in secretFields, and put
 * `...clientAuthFormFields()` (plus `clientAuthIssuerFormField()` when it spread the issuer) in its field list.
 */

export const CLIENT_AUTH_LABELS: Record<(typeof CLIENT_AUTH_METHODS)[number], string> = {
  client_secret_basic: "Client secret in the Authorization header (client_secret_basic)",
  client_secret_post: "Client secret in the request body (client_secret_post)",
  client_secret_jwt: "JWT signed with the client secret, HS256 (client_secret_jwt)",
  private_key_jwt: "JWT signed with a private key (private_key_jwt)",
};

const PEM_PRIVATE_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (?:RSA |EC )?PRIVATE KEY-----/;

/** A PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted) pasted or loaded from a file; "" when unused. */
export const privateKeyPem = text(LIMITS.pem)
  .default("")
  .refine((v) => v.trim() === "" || PEM_PRIVATE_KEY.test(v), "Paste an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- …).");

export const clientAuthFields = {
  clientAuth: z.enum(CLIENT_AUTH_METHODS).default("client_secret_basic"),
  /** Required unless private_key_jwt (checkClientAuth). */
  clientSecret: line(LIMITS.secret).default(""),
  privateKey: privateKeyPem,
  keyId: line(LIMITS.short).trim().default(""),
  signingAlg: z.enum(ASSERTION_SIGNING_ALGS).default("RS256"),
  assertionAudience: z.enum(ASSERTION_AUDIENCES).default("token_endpoint"),
};

/** The issuer identifier, for types whose schema has none: the assertion's `aud` when the provider wants the issuer. */
export const clientAuthIssuerField = { issuer: optionalHttpUrl };

export const CLIENT_AUTH_DEFAULTS = {
  clientAuth: "client_secret_basic",
  clientSecret: "",
  privateKey: "",
  keyId: "",
  signingAlg: "RS256",
  assertionAudience: "token_endpoint",
} as const;

export interface ClientAuthValues {
  clientAuth: (typeof CLIENT_AUTH_METHODS)[number];
  clientSecret: string;
  privateKey: string;
  keyId: string;
  signingAlg: (typeof ASSERTION_SIGNING_ALGS)[number];
  assertionAudience: (typeof ASSERTION_AUDIENCES)[number];
  issuer?: string;
}

export const SIGNING_ALG_OPTIONS = [
  ["RS256", "RS256 (RSA)"],
  ["PS256", "PS256 (RSA-PSS)"],
  ["ES256", "ES256 (EC P-256)"],
] as const;

/** The form's values of these fields (z.input: fields with defaults may be unset). */
export type ClientAuthFormValues = z.input<z.ZodObject<typeof clientAuthFields>> & { issuer?: string };

const usesAssertion = (v: Pick<ClientAuthFormValues, "clientAuth">) => v.clientAuth === "client_secret_jwt" || v.clientAuth === "private_key_jwt";

/** The checks that depend on the method, each on the field to fix. Call from the type's superRefine. */
export function checkClientAuth(v: ClientAuthValues, ctx: z.RefinementCtx): void {
  if (v.clientAuth === "private_key_jwt") {
    if (!v.privateKey.trim()) ctx.addIssue({ code: "custom", path: ["privateKey"], message: "Paste the private key, or load its .pem file." });
  } else if (!v.clientSecret) {
    ctx.addIssue({ code: "custom", path: ["clientSecret"], message: "Enter the client secret." });
  }
  if (usesAssertion(v) && v.assertionAudience === "issuer" && !v.issuer) {
    ctx.addIssue({ code: "custom", path: ["issuer"], message: "Enter the issuer identifier, or send the token URL as the audience." });
  }
}

type Values = ClientAuthFormValues & { clientId?: string };
type Shown = (v: Values) => boolean;

/**
 * The controls, each shown for the methods it belongs to and only while `shown` holds (e.g. a type where
 * client authentication is optional shows them once a client ID is entered).
 */
export function clientAuthFormFields(shown: Shown = () => true): ReadonlyArray<FormField<Values>> {
  const when = (own?: Shown) => (v: Values) => shown(v) && (own?.(v) ?? true);
  const privateKey: Shown = (v) => v.clientAuth === "private_key_jwt";
  return [
    { kind: "select", name: "clientAuth", label: "Client Authentication", options: Object.entries(CLIENT_AUTH_LABELS), when: when() },
    { kind: "text", name: "clientSecret", label: "Client Secret", secret: true, when: when((v) => !privateKey(v)) },
    {
      kind: "textarea",
      name: "privateKey",
      label: "Private Key (PEM)",
      secret: true,
      placeholder: "-----BEGIN PRIVATE KEY-----",
      hint: "The key whose public half is registered with the provider (a JWKS or certificate). PKCS#8, RSA or EC, unencrypted.",
      file: { accept: ".pem,.key", encoding: "text" },
      when: when(privateKey),
    },
    {
      kind: "row",
      fields: [
        {
          kind: "text",
          name: "keyId",
          label: "Key ID (kid)",
          hint: "Optional: the kid the provider registered the key under.",
          when: when(privateKey),
        },
        { kind: "select", name: "signingAlg", label: "Signing Algorithm", options: SIGNING_ALG_OPTIONS, when: when(privateKey) },
      ],
    },
    {
      kind: "select",
      name: "assertionAudience",
      label: "Assertion Audience (aud)",
      options: [
        ["token_endpoint", "The token URL"],
        ["issuer", "The issuer identifier"],
      ],
      hint: "What the provider expects in the JWT's aud claim.",
      when: when(usesAssertion),
    },
  ];
}

/** The issuer control for types that spread clientAuthIssuerField. */
export function clientAuthIssuerFormField(shown: Shown = () => true): FormField<Values> {
  return {
    kind: "text",
    name: "issuer",
    label: "Issuer Identifier",
    placeholder: "https://auth.example.com",
    when: (v) => shown(v) && usesAssertion(v) && v.assertionAudience === "issuer",
  };
}
