import { z } from "zod";
import { headerValue, isHeaderName, isHeaderValue, line, LIMITS, secretText, text } from "@/lib/validation/fields";

/**
 * The connection form's input, shared by the react-hook-form form (client) and the server actions: one
 * discriminated union on `type`. Values stay as the form holds them (strings, booleans); no transforms, so
 * parsing twice (form, then action) gives the same result. lib/connections/config.ts turns them into the
 * stored config and secrets.
 */

export const CONNECTION_TYPES = ["api_key", "basic", "oauth2_code", "oauth2_client_credentials"] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export const CONNECTION_TYPE_LABELS: Record<ConnectionType, string> = {
  api_key: "API key",
  basic: "Basic auth",
  oauth2_code: "OAuth 2.0 Authorization Code",
  oauth2_client_credentials: "OAuth 2.0 Client Credentials",
};

export const CONNECTION_STATUSES = ["never_verified", "verified", "failed", "needs_reauthorization"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

const DOMAIN = /^(\*\.)?([a-z0-9_-]+\.)*[a-z0-9_-]+(:\d{1,5})?$/i;

const required = (what: string, max: number = LIMITS.short) => line(max).trim().min(1, `Enter ${what}.`);
const secret = (what: string) => secretText(what);

const httpUrl = (what: string) =>
  required(what, LIMITS.url).refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "Enter an http:// or https:// URL.");
const optionalHttpUrl = line(LIMITS.url)
  .trim()
  .default("")
  .refine((u) => u === "" || (URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)), "Enter an http:// or https:// URL.");

/** Splits a list typed with commas, spaces or new lines. */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `key=value` (or `Name: value` for headers), one per line; blank lines are skipped. */
export function parsePairs(value: string, separator: "=" | ":"): Array<[string, string]> | string {
  const out: Array<[string, string]> = [];
  for (const [i, raw] of value.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(separator);
    if (at <= 0) return `Line ${i + 1}: write it as ${separator === "=" ? "key=value" : "Name: value"}.`;
    out.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return out;
}

const pairs = (separator: "=" | ":", headerNames = false) =>
  text(LIMITS.list)
    .default("")
    .superRefine((value, ctx) => {
      const parsed = parsePairs(value, separator);
      if (typeof parsed === "string") return void ctx.addIssue({ code: "custom", message: parsed });
      for (const [name, value] of parsed) {
        if (headerNames && !isHeaderName(name)) ctx.addIssue({ code: "custom", message: `"${name.slice(0, 60)}" is not a valid header name.` });
        if (headerNames && !isHeaderValue(value))
          ctx.addIssue({ code: "custom", message: `The value of ${name.slice(0, 60)} has control characters, which a header cannot carry.` });
      }
    });

const allowedDomains = text(LIMITS.list)
  .default("")
  .refine((v) => splitList(v).every((d) => DOMAIN.test(d)), "Use host names such as api.example.com or *.example.com, optionally with :port.");

const expiredStatuses = line(LIMITS.short)
  .trim()
  .default("401")
  .refine((v) => {
    const list = splitList(v);
    return list.length > 0 && list.every((s) => /^\d{3}$/.test(s) && Number(s) >= 400 && Number(s) < 600);
  }, "Enter HTTP status codes between 400 and 599, such as 401 or 401, 403.");

const optionalPort = line(LIMITS.short)
  .trim()
  .default("")
  .refine((p) => p === "" || (/^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535), "Enter a port between 1 and 65535.");
const optionalHost = line(LIMITS.short)
  .trim()
  .default("")
  .refine((h) => h === "" || /^(https?:\/\/)?[a-z0-9_.-]+$/i.test(h), "Enter a host name such as jira.internal (optionally with https://).");

const scopeSeparator = z.enum(["space", "comma", "plus"]).default("space");
const clientAuth = z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic");

const common = {
  name: required("a connection name", 100),
  testUrl: optionalHttpUrl,
  testMethod: z.enum(["GET", "POST", "HEAD"]).default("GET"),
  allowedDomains,
  expiredStatuses,
};

export const apiKeyInputSchema = z
  .object({
    type: z.literal("api_key"),
    ...common,
    apiKey: secret("the API key"),
    headerKey: line(LIMITS.short).trim().default("Authorization"),
    scheme: z.enum(["Basic", "Bearer", "None"]).default("Bearer"),
    placement: z.enum(["header", "query"]).default("header"),
    queryParamName: line(LIMITS.short).trim().default(""),
    host: optionalHost,
    port: optionalPort,
  })
  .superRefine((v, ctx) => {
    if (v.placement === "header" && !isHeaderName(v.headerKey)) {
      ctx.addIssue({ code: "custom", path: ["headerKey"], message: "Enter a header name such as Authorization or X-API-Key." });
    }
    if (v.placement === "query" && !v.queryParamName) {
      ctx.addIssue({ code: "custom", path: ["queryParamName"], message: "Enter the query parameter name, such as api_key." });
    }
  });

export const basicInputSchema = z.object({
  type: z.literal("basic"),
  ...common,
  username: required("the username"),
  password: secret("the password"),
  host: optionalHost,
  port: optionalPort,
});

export const oauth2CodeInputSchema = z.object({
  type: z.literal("oauth2_code"),
  ...common,
  authorizeUrl: httpUrl("the authorize URL"),
  tokenUrl: httpUrl("the token URL"),
  refreshUrl: optionalHttpUrl,
  scopes: text(LIMITS.list).default(""),
  scopeSeparator,
  clientId: required("the client ID", 1024),
  clientSecret: secret("the client secret"),
  clientAuth,
  usePkce: z.boolean().default(true),
  extraAuthorizeParams: pairs("="),
  tokenHeaders: pairs(":", true),
  /** Filled by discovery: enables the RFC 9207 `iss` check. */
  issuer: optionalHttpUrl,
  issParameterSupported: z.boolean().default(false),
});

export const oauth2ClientCredentialsInputSchema = z.object({
  type: z.literal("oauth2_client_credentials"),
  ...common,
  tokenUrl: httpUrl("the token URL"),
  scopes: text(LIMITS.list).default(""),
  scopeSeparator,
  clientId: required("the client ID", 1024),
  clientSecret: secret("the client secret"),
  clientAuth,
  tokenParams: pairs("="),
  tokenHeaders: pairs(":", true),
  tokenPlacement: z.enum(["header", "query", "both"]).default("header"),
  // Sent as "<headerTokenName> <token>" in the Authorization header.
  headerTokenName: headerValue(LIMITS.short).trim().min(1, "Enter the word before the token, such as Bearer.").default("Bearer"),
  queryParamName: line(LIMITS.short).trim().min(1, "Enter the query parameter name.").default("access_token"),
});

export const connectionInputSchema = z.discriminatedUnion("type", [
  apiKeyInputSchema,
  basicInputSchema,
  oauth2CodeInputSchema,
  oauth2ClientCredentialsInputSchema,
]);

export type ConnectionInput = z.output<typeof connectionInputSchema>;
export type ConnectionFormValues = z.input<typeof connectionInputSchema>;

export const connectionIdSchema = z.object({ connectionId: z.uuid("Choose a connection.") });
/** Create (no connectionId) or replace (connectionId) a connection. */
export const saveConnectionSchema = z.object({ connectionId: z.uuid().optional(), input: connectionInputSchema });
export const discoverSchema = z.object({ issuerUrl: httpUrl("the issuer URL") });
export const emptySchema = z.object({});

/** Non-secret form values of a stored connection, for the edit form (secret fields stay empty). */
export type ConnectionFormDefaults = ConnectionFormValues extends infer T
  ? T extends unknown
    ? Omit<T, "apiKey" | "password" | "clientSecret">
    : never
  : never;
