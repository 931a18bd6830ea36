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

const clientAuth = z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic");

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

export const authorizationCodeConfigSchema = z.object({
  authorizeUrl: httpUrl,
  tokenUrl: httpUrl,
  /** Token endpoint for refreshes when the provider uses a different one. */
  refreshUrl: httpUrl.optional(),
  scopes,
  scopeSeparator,
  clientId: z.string().trim().min(1, "enter the client ID"),
  clientSecret: z.string().min(1, "enter the client secret"),
  clientAuth,
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
});

export const clientCredentialsConfigSchema = z.object({
  tokenUrl: httpUrl,
  scopes,
  scopeSeparator,
  clientId: z.string().trim().min(1, "enter the client ID"),
  clientSecret: z.string().min(1, "enter the client secret"),
  clientAuth,
  extraTokenParams: paramsWithout(["grant_type", "client_id", "client_secret", "scope"], "token request"),
  tokenRequestHeaders,
});

export type AuthorizationCodeConfig = z.output<typeof authorizationCodeConfigSchema>;
export type AuthorizationCodeConfigInput = z.input<typeof authorizationCodeConfigSchema>;
export type ClientCredentialsConfig = z.output<typeof clientCredentialsConfigSchema>;
export type ClientCredentialsConfigInput = z.input<typeof clientCredentialsConfigSchema>;

export function parseConfig<S extends z.ZodType>(schema: S, input: z.input<S>): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`);
    throw new OAuthConfigError(`The OAuth settings are invalid: ${lines.join("; ")}`);
  }
  return result.data;
}

/** Scope value for a form-encoded token request body, where "+" already means a space. */
export function scopeForBody(list: string[], separator: AuthorizationCodeConfig["scopeSeparator"]): string {
  return list.join(separator === "," ? "," : " ");
}
