import { z } from "zod";
import { ssoProviderSchema, type SsoProvider } from "./provider-schema";

/**
 * OpenID Connect providers Plugboard's own sign-in accepts, from PLUGBOARD_OIDC_PROVIDERS: a JSON array of
 * the objects below (README, "Single sign-on"). Parsed once per process; a bad value stops sign-in with a
 * message naming the field, never with the secret.
 */

export { ssoProviderSchema, type SsoProvider } from "./provider-schema";

export const ssoProvidersSchema = z
  .array(ssoProviderSchema)
  .max(20)
  .refine((list) => new Set(list.map((p) => p.id)).size === list.length, "two providers have the same id");

/** Where a provider comes from: the environment (read-only on the admin page) or the admin page (stored). */
export type SsoProviderSource = "environment" | "admin";

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

/** The environment's providers only; lib/sso/stored-providers.ts adds the admin page's (allSsoProviders). */
export function ssoProviders(): SsoProvider[] {
  const raw = process.env.PLUGBOARD_OIDC_PROVIDERS;
  if (!cached || cached.raw !== raw) cached = { raw, providers: parseSsoProviders(raw) };
  return cached.providers;
}
