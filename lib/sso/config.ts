import { z } from "zod";

/**
 * OpenID Connect providers Plugboard's own sign-in accepts, from PLUGBOARD_OIDC_PROVIDERS: a JSON array of
 * the objects below (README, "Single sign-on"). Parsed once per process; a bad value stops sign-in with a
 * message naming the field, never with the secret.
 */

const teamRole = z.enum(["member", "admin"]);
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const ssoProviderSchema = z.object({
  /** Part of the redirect URI (/api/auth/callback/oidc-<id>): lowercase letters, digits and dashes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "id: 1 to 32 lowercase letters, digits or dashes"),
  label: z.string().trim().min(1).max(60),
  issuer: z.url().refine((u) => {
    const url = new URL(u);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  }, "issuer: https:// (http:// only on localhost)"),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
  scopes: z.string().trim().min(1).max(500).default("openid email profile"),
  /** Refuse ID tokens whose `email_verified` is not true (on unless the provider never sends it). */
  requireEmailVerified: z.boolean().default(true),
  /** Empty: any domain. Else the email's domain must be one of these exactly. */
  allowedDomains: z.array(z.string().trim().toLowerCase().min(1).max(253)).max(100).default([]),
  /** Team (id or exact name) every account of this provider joins, with this role at least. */
  defaultTeam: z.string().trim().min(1).max(80).optional(),
  defaultRole: teamRole.default("member"),
  /** The claim listing the user's groups at the provider. */
  groupsClaim: z.string().min(1).max(100).default("groups"),
  /** Group -> team membership, re-applied at every sign-in to the teams named here and the default team. */
  groupMappings: z
    .array(z.object({ group: z.string().min(1).max(200), team: z.string().trim().min(1).max(80), role: teamRole }))
    .max(200)
    .default([]),
});

export type SsoProvider = z.infer<typeof ssoProviderSchema>;

export const ssoProvidersSchema = z
  .array(ssoProviderSchema)
  .max(20)
  .refine((list) => new Set(list.map((p) => p.id)).size === list.length, "two providers have the same id");

/** Auth.js's provider id: "credentials" stays the password's. */
export const authProviderId = (provider: Pick<SsoProvider, "id">) => `oidc-${provider.id}`;

export class SsoConfigError extends Error {}

/** Parses the variable's value; the error names the field, never a value. */
export function parseSsoProviders(raw: string | undefined): SsoProvider[] {
  if (!raw?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new SsoConfigError("PLUGBOARD_OIDC_PROVIDERS is not valid JSON");
  }
  const parsed = ssoProvidersSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SsoConfigError(`PLUGBOARD_OIDC_PROVIDERS[${issue.path.join(".")}]: ${issue.message}`);
  }
  return parsed.data;
}

let cached: { raw: string | undefined; providers: SsoProvider[] } | undefined;

export function ssoProviders(): SsoProvider[] {
  const raw = process.env.PLUGBOARD_OIDC_PROVIDERS;
  if (!cached || cached.raw !== raw) cached = { raw, providers: parseSsoProviders(raw) };
  return cached.providers;
}

export function findSsoProvider(authId: string): SsoProvider | undefined {
  return ssoProviders().find((p) => authProviderId(p) === authId);
}
