import { z } from "zod";
import { OAuthConfigError } from "./errors";

/**
 * The two OAuth connection configurations, validated with zod so the form, the database loader and
 * these functions agree on defaults (PKCE on, client_secret_basic, space-separated scopes).
 */

const httpUrl = z
  .string()
  .trim()
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL");

// A scope token may not contain spaces (RFC 6749 §3.3); separators are configured separately.
const scopes = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .regex(/^[^\s]+$/, "scopes cannot contain spaces"),
  )
  .default([]);

/** How scopes are joined on the authorization URL: " " → %20, "," → ",", "+" → a literal "+". */
const scopeSeparator = z.enum([" ", ",", "+"]).default(" ");

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2 with OpenID Connect's names). */
export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
/** Signing algorithms for private_key_jwt assertions and JWT bearer grants (client_secret_jwt is always HS256). */
export const ASSERTION_SIGNING_ALGS = ["RS256", "PS256", "ES256"] as const;
export type AssertionSigningAlg = (typeof ASSERTION_SIGNING_ALGS)[number];
/** The `aud` of a client assertion: the token endpoint URL (RFC 7523 §3) or the issuer identifier, as the provider requires. */
export const ASSERTION_AUDIENCES = ["token_endpoint", "issuer"] as const;

/**
 * The client authentication settings shared by every grant. The client secret is required except with
 * private_key_jwt, which needs the private key instead (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC).
 */
const clientAuthFields = {
  clientId: z.string().trim().min(1, "enter the client ID"),
  clientSecret: z.string().optional(),
  clientAuth: z.enum(CLIENT_AUTH_METHODS).default("client_secret_basic"),
  privateKeyPem: z.string().optional(),
  /** The `kid` header of private_key_jwt assertions: which registered key signed it. */
  keyId: z.string().trim().optional(),
  signingAlg: z.enum(ASSERTION_SIGNING_ALGS).default("RS256"),
  assertionAudience: z.enum(ASSERTION_AUDIENCES).default("token_endpoint"),
};

type ClientAuthValues = {
  clientAuth: ClientAuthMethod;
  clientSecret?: string;
  privateKeyPem?: string;
  assertionAudience: (typeof ASSERTION_AUDIENCES)[number];
  issuer?: string;
};

/** The issues of clientAuthFields that depend on the method, each naming its field. */
function checkClientAuth(v: ClientAuthValues, ctx: z.RefinementCtx): void {
  if (v.clientAuth === "private_key_jwt") {
    if (!v.privateKeyPem?.trim())
      ctx.addIssue({ code: "custom", path: ["privateKeyPem"], message: "enter the private key (PEM) for private_key_jwt" });
  } else if (!v.clientSecret) {
    ctx.addIssue({ code: "custom", path: ["clientSecret"], message: "enter the client secret" });
  }
  if ((v.clientAuth === "private_key_jwt" || v.clientAuth === "client_secret_jwt") && v.assertionAudience === "issuer" && !v.issuer) {
    ctx.addIssue({ code: "custom", path: ["issuer"], message: "set the issuer identifier to use it as the assertion audience" });
  }
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Set by the OAuth client itself (client authentication, form body, JSON answer).
const RESERVED_HEADERS = new Set(["authorization", "content-type", "accept", "content-length", "host"]);

const tokenRequestHeaders = z
  .record(z.string(), z.string().regex(/^[^\r\n]*$/, "header values cannot contain line breaks"))
  .default({})
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: "custom", message: `"${name}" is not a valid header name` });
      else if (RESERVED_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({ code: "custom", message: `the ${name} header is set by the OAuth client and cannot be overridden` });
      }
    }
  });

function paramsWithout(reserved: string[], where: string) {
  return z
    .record(z.string().min(1), z.string())
    .default({})
    .superRefine((params, ctx) => {
      for (const name of Object.keys(params)) {
        if (reserved.includes(name)) {
          ctx.addIssue({ code: "custom", message: `"${name}" is set by Plugboard and cannot be an extra ${where} parameter` });
        }
      }
    });
}

export const authorizationCodeConfigSchema = z
  .object({
    authorizeUrl: httpUrl,
    tokenUrl: httpUrl,
    /** Token endpoint for refreshes when the provider uses a different one. */
    refreshUrl: httpUrl.optional(),
    scopes,
    scopeSeparator,
    ...clientAuthFields,
    /** PKCE with S256 (never plain). Only turn off for providers that reject the PKCE parameters. */
    usePkce: z.boolean().default(true),
    extraAuthorizeParams: paramsWithout(
      ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"],
      "authorization",
    ),
    tokenRequestHeaders,
    /** Issuer identifier (from discovery): enables the RFC 9207 `iss` check on callbacks. */
    issuer: httpUrl.optional(),
    /** The provider advertises authorization_response_iss_parameter_supported: a missing `iss` is refused. */
    issParameterSupported: z.boolean().optional(),
  })
  .superRefine(checkClientAuth);

const CLIENT_AUTH_PARAMS = ["client_id", "client_secret", "client_assertion", "client_assertion_type"];

export const clientCredentialsConfigSchema = z
  .object({
    tokenUrl: httpUrl,
    /** Issuer identifier: only used as the audience of client assertions (assertionAudience "issuer"). */
    issuer: httpUrl.optional(),
    scopes,
    scopeSeparator,
    ...clientAuthFields,
    extraTokenParams: paramsWithout(["grant_type", "scope", ...CLIENT_AUTH_PARAMS], "token request"),
    tokenRequestHeaders,
  })
  .superRefine(checkClientAuth);

/**
 * The Resource Owner Password grant (RFC 6749 §4.3). Legacy: RFC 9700 §2.4 says it MUST NOT be used; it is
 * here for internal APIs that offer nothing else.
 */
export const passwordGrantConfigSchema = z
  .object({
    tokenUrl: httpUrl,
    issuer: httpUrl.optional(),
    username: z.string().min(1, "enter the username"),
    password: z.string().min(1, "enter the password"),
    scopes,
    scopeSeparator,
    ...clientAuthFields,
    extraTokenParams: paramsWithout(["grant_type", "scope", "username", "password", ...CLIENT_AUTH_PARAMS], "token request"),
    tokenRequestHeaders,
  })
  .superRefine(checkClientAuth);

/**
 * The JWT bearer grant (RFC 7523 §2.1): an assertion signed with the service account's private key is the
 * grant. Client authentication is optional (clientId unset: none), as most providers identify the
 * account by the assertion's `iss` alone.
 */
export const jwtBearerConfigSchema = z
  .object({
    tokenUrl: httpUrl,
    /** The assertion's claims: iss (the service account), sub (whom the token acts for), aud (the authorization server). */
    assertionIssuer: z.string().trim().min(1, "enter the assertion issuer (iss)"),
    /** Default: the issuer (a service account acting as itself). */
    assertionSubject: z.string().trim().optional(),
    /** Default: the token URL. */
    assertionAudienceValue: z.string().trim().optional(),
    assertionPrivateKeyPem: z.string().refine((v) => v.trim() !== "", "enter the private key (PEM) that signs the assertion"),
    assertionKeyId: z.string().trim().optional(),
    assertionSigningAlg: z.enum(ASSERTION_SIGNING_ALGS).default("RS256"),
    /** exp - iat of the assertion, seconds. Short: it only has to reach the token endpoint. */
    assertionLifetimeSeconds: z.number().int().min(10, "use at least 10 seconds").max(3600, "use at most 3600 seconds").default(300),
    scopes,
    scopeSeparator,
    /** Put the scopes in the assertion's `scope` claim (Google service accounts) instead of the scope parameter. */
    scopeInAssertion: z.boolean().default(false),
    issuer: httpUrl.optional(),
    clientId: z.string().trim().optional(),
    clientSecret: z.string().optional(),
    clientAuth: z.enum(["none", ...CLIENT_AUTH_METHODS]).default("none"),
    privateKeyPem: z.string().optional(),
    keyId: z.string().trim().optional(),
    signingAlg: z.enum(ASSERTION_SIGNING_ALGS).default("RS256"),
    assertionAudience: z.enum(ASSERTION_AUDIENCES).default("token_endpoint"),
    extraTokenParams: paramsWithout(["grant_type", "assertion", "scope", ...CLIENT_AUTH_PARAMS], "token request"),
    tokenRequestHeaders,
  })
  .superRefine((v, ctx) => {
    if (v.clientAuth === "none") return;
    if (!v.clientId) ctx.addIssue({ code: "custom", path: ["clientId"], message: "enter the client ID, or choose no client authentication" });
    checkClientAuth({ ...v, clientAuth: v.clientAuth }, ctx);
  });

export type AuthorizationCodeConfig = z.output<typeof authorizationCodeConfigSchema>;
export type AuthorizationCodeConfigInput = z.input<typeof authorizationCodeConfigSchema>;
export type ClientCredentialsConfig = z.output<typeof clientCredentialsConfigSchema>;
export type ClientCredentialsConfigInput = z.input<typeof clientCredentialsConfigSchema>;
export type PasswordGrantConfig = z.output<typeof passwordGrantConfigSchema>;
export type PasswordGrantConfigInput = z.input<typeof passwordGrantConfigSchema>;
export type JwtBearerConfig = z.output<typeof jwtBearerConfigSchema>;
export type JwtBearerConfigInput = z.input<typeof jwtBearerConfigSchema>;
/** What clientFor needs: any of the configs above. */
export type ClientAuthSettings = Pick<AuthorizationCodeConfig, "clientSecret" | "privateKeyPem" | "keyId" | "signingAlg" | "assertionAudience"> & {
  clientId?: string;
  clientAuth: ClientAuthMethod | "none";
  issuer?: string;
};

export function parseConfig<S extends z.ZodType>(schema: S, input: z.input<S>): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`);
    throw new OAuthConfigError(`The OAuth settings are invalid: ${lines.join("; ")}`);
  }
  return result.data;
}

/**
 * The scope value itself (before form encoding): the scopes joined by the separator. A "+" separator is a
 * literal plus, which the form encoding of the token request body sends as %2B, so the provider decodes
 * `a+b`; a raw "+" on the wire would decode as a space, the same as the space separator.
 */
export function scopeForBody(list: string[], separator: AuthorizationCodeConfig["scopeSeparator"]): string {
  return list.join(separator);
}
