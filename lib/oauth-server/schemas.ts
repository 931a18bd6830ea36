import { z } from "zod";
import { line, text } from "@/lib/validation/fields";
import { checkClientKeys, JWKS_MAX_CHARS } from "./client-keys-schema";
import { SCOPE_NAMES } from "./scopes";

/** Redirect URIs are matched exactly, so they must be absolute, without a fragment, and https unless loopback. */
export function redirectUriProblem(value: string): string | null {
  if (!URL.canParse(value)) return "Enter an absolute URL, like https://app.example.com/callback.";
  const url = new URL(value);
  if (url.hash || value.includes("#")) return "A redirect URI cannot contain a fragment (#).";
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return "Use https (http only for localhost).";
  return null;
}

/** One URI per line. Split here rather than in a zod transform: the form sends its parsed output to the action. */
export function splitRedirectUris(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

export const CLIENT_AUTH_METHOD_NAMES = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;

/** private_key_jwt's public keys: a pasted JWK Set or its URL (checkClientKeys says which is needed). */
const clientKeyFields = {
  jwks: text(JWKS_MAX_CHARS).default(""),
  jwksUri: line(2048).trim().default(""),
};

export const createApplicationSchema = z
  .object({
    name: line(80).trim().min(1, "Enter a name."),
    grantType: z.enum(["client_credentials", "authorization_code"]).default("client_credentials"),
    redirectUris: text(4000).default(""),
    authMethod: z.enum(CLIENT_AUTH_METHOD_NAMES).default("client_secret_basic"),
    ...clientKeyFields,
    scopes: z.array(z.enum(SCOPE_NAMES)).min(1, "Pick at least one scope."),
    role: z.enum(["member", "admin"]).default("member"),
    accessTokenFormat: z.enum(["opaque", "jwt"]).default("opaque"),
  })
  .superRefine((value, issue) => {
    checkClientKeys(value, issue);
    if (value.grantType !== "authorization_code") return;
    const uris = splitRedirectUris(value.redirectUris);
    if (uris.length === 0) issue.addIssue({ code: "custom", path: ["redirectUris"], message: "Enter at least one redirect URI." });
    for (const uri of uris) {
      const problem = redirectUriProblem(uri);
      if (problem) issue.addIssue({ code: "custom", path: ["redirectUris"], message: `${uri}: ${problem}` });
    }
  });

export const applicationIdSchema = z.object({ applicationId: z.uuid() });
export const consentIdSchema = z.object({ consentId: z.uuid() });

export type CreateApplicationInput = z.output<typeof createApplicationSchema>;

export { ACCESS_TOKEN_FORMAT_LABELS, AUTH_METHOD_LABELS, GRANT_TYPE_LABELS } from "./labels";

/** A whole number in a range, or empty for "the instance default" (null). */
const optionalWhole = (min: number, max: number, unit: string) =>
  z.preprocess(
    (value) => (value === "" || value === undefined ? null : value),
    z.coerce
      .number(`Enter a whole number of ${unit}, or leave it empty for the default.`)
      .int(`Enter a whole number of ${unit}.`)
      .min(min, `At least ${min} ${unit}.`)
      .max(max, `At most ${max} ${unit}.`)
      .nullable(),
  );

/** An application's lifetimes; each empty field takes the instance default. */
export const applicationSettingsSchema = z.object({
  applicationId: z.uuid(),
  secretLifetimeDays: optionalWhole(1, 3650, "days"),
  accessTokenTtlSeconds: optionalWhole(60, 86_400, "seconds"),
  refreshTokenTtlSeconds: optionalWhole(60, 365 * 86_400, "seconds"),
});
export type ApplicationSettingsInput = z.output<typeof applicationSettingsSchema>;

/** How an application authenticates at the token, revocation and introspection endpoints. */
export const applicationAuthSchema = z
  .object({ applicationId: z.uuid(), authMethod: z.enum(CLIENT_AUTH_METHOD_NAMES), ...clientKeyFields })
  .superRefine(checkClientKeys);
export type ApplicationAuthInput = z.output<typeof applicationAuthSchema>;

export const regenerateSecretSchema = z.object({ applicationId: z.uuid(), revokeTokens: z.boolean().default(false) });
export const clientSecretIdSchema = z.object({ applicationId: z.uuid(), secretId: z.uuid() });

/** An admin's personal access token: a name, the scopes it narrows their role to, and when it expires. */
export const personalAccessTokenSchema = z.object({
  name: line(80).trim().min(1, "Enter a name."),
  scopes: z.array(z.enum(SCOPE_NAMES)).min(1, "Pick at least one scope."),
  expiresInDays: z.coerce
    .number("Enter a number of days.")
    .int("Enter a whole number of days.")
    .min(1, "At least 1 day.")
    .max(365, "At most 365 days."),
});
export type PersonalAccessTokenInput = z.output<typeof personalAccessTokenSchema>;

/** The API documentation's Try it asks for a token with the one scope the operation needs. */
export const tryItTokenSchema = z.object({ scope: z.enum(SCOPE_NAMES) });
