import { z } from "zod";
import { line } from "@/lib/validation/fields";

/**
 * Client-safe: the rules of one OpenID Connect provider, shared by the environment's parser
 * (PLUGBOARD_OIDC_PROVIDERS, lib/sso/config.ts), the admin page's form and its server action.
 */

const teamRole = z.enum(["member", "admin"], { message: "Choose member or admin." });
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const domainList = z.array(line(253).trim().toLowerCase().min(1)).max(100, "List at most 100 domains.");

export const SSO_PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const groupMappingSchema = z.object({
  group: line(200).min(1, "Enter the group's name at the provider."),
  team: line(80).trim().min(1, "Enter a team (its id or exact name)."),
  role: teamRole,
});

/** One field per setting, each with its rule; the stored / environment form of a provider. */
export const ssoProviderFields = {
  /** Part of the redirect URI (/api/auth/callback/oidc-<id>): lowercase letters, digits and dashes. */
  id: z.string().regex(SSO_PROVIDER_ID, "Use 1 to 32 lowercase letters, digits or dashes, starting with a letter or digit."),
  label: line(60).trim().min(1, "Enter the button's label."),
  issuer: z.url("Enter the issuer URL.").refine((u) => {
    const url = new URL(u);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  }, "The issuer must be https:// (http:// only on localhost)."),
  clientId: line(500).min(1, "Enter the client ID."),
  clientSecret: line(2000).min(1, "Enter the client secret."),
  scopes: line(500).trim().min(1, "Enter the scopes (openid email profile by default).").default("openid email profile"),
  /** Refuse ID tokens whose `email_verified` is not true (on unless the provider never sends it). */
  requireEmailVerified: z.boolean().default(true),
  /** Empty: any domain. Else the email's domain must be one of these exactly. */
  allowedDomains: domainList.default([]),
  /** Team (id or exact name) every account of this provider joins, with this role at least. */
  defaultTeam: line(80).trim().min(1).optional(),
  defaultRole: teamRole.default("member"),
  /** The claim listing the user's groups at the provider. */
  groupsClaim: line(100).min(1, "Enter the claim's name (groups by default).").default("groups"),
  /** Group -> team membership, re-applied at every sign-in to the teams named here and the default team. */
  groupMappings: z.array(groupMappingSchema).max(200, "Map at most 200 groups.").default([]),
};

export const ssoProviderSchema = z.object(ssoProviderFields);

export type SsoProvider = z.infer<typeof ssoProviderSchema>;

/**
 * The admin page's form, checked by the same rules: domains typed as one text (commas or spaces), an
 * empty default team for none, and on an edit an empty secret keeps the stored one (it is never shown).
 * `editing` names the provider being edited (its id cannot change: the redirect URI holds it).
 */
export const ssoProviderFormSchema = z.object({
  ...ssoProviderFields,
  editing: z.boolean().default(false),
  clientSecret: z.union([z.literal(""), ssoProviderFields.clientSecret]).default(""),
  // The form sends the text; the server action gets what the form's resolver already parsed (the list).
  allowedDomains: z
    .union([line(4000).transform((value) => value.split(/[\s,]+/).filter(Boolean)), z.array(z.string())])
    .default([])
    .pipe(domainList),
  defaultTeam: line(80)
    .trim()
    .default("")
    .transform((value) => value || undefined),
});

export type SsoProviderFormInput = z.input<typeof ssoProviderFormSchema>;
export type SsoProviderFormValues = z.output<typeof ssoProviderFormSchema>;

export const deleteSsoProviderSchema = z.object({ id: z.string().regex(SSO_PROVIDER_ID, "Not a provider id.") });

/** SSO-only mode: password sign-in off for everyone but the break-glass account, named by its email. */
export const ssoOnlySchema = z.object({
  ssoOnly: z.boolean(),
  breakGlassEmail: line(254).trim().toLowerCase().default(""),
});

export type SsoOnlyInput = z.input<typeof ssoOnlySchema>;
