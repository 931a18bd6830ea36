import type { TeamRole } from "@/db/schema";
import type { SsoProvider } from "./config";
import type { SsoRefusal } from "./refusals";

/** What Plugboard takes from a verified ID token. */
export type SsoIdentityClaims = { subject: string; email: string; name: string; groups: string[] };

/**
 * Checks an ID token's claims against the provider's rules: an email, verified unless the provider is
 * set not to require it, in an allowed domain.
 */
export function checkClaims(
  provider: SsoProvider,
  claims: Record<string, unknown>,
): { ok: true; identity: SsoIdentityClaims } | { ok: false; reason: SsoRefusal; email?: string } {
  const subject = typeof claims.sub === "string" ? claims.sub : "";
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!subject || !email.includes("@")) return { ok: false, reason: "email_missing" };
  // Some providers send the boolean as a string.
  const verified = claims.email_verified === true || claims.email_verified === "true";
  if (provider.requireEmailVerified && !verified) return { ok: false, reason: "email_unverified", email };
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (provider.allowedDomains.length > 0 && !provider.allowedDomains.includes(domain)) {
    return { ok: false, reason: "domain_not_allowed", email };
  }
  const nameClaim = [claims.name, claims.preferred_username].find((v): v is string => typeof v === "string" && v.trim() !== "");
  return {
    ok: true,
    identity: {
      subject,
      email,
      name: (nameClaim ?? email.slice(0, email.indexOf("@"))).trim().slice(0, 100),
      groups: groupsOf(claims[provider.groupsClaim]),
    },
  };
}

function groupsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string").slice(0, 1000);
  return [];
}

const rank: Record<TeamRole, number> = { member: 1, admin: 2 };

/**
 * The role the provider's rules give in each team they manage (the default team and every mapped team),
 * by the team reference as configured; null means no membership there. Teams not named by the provider
 * are not the provider's business (invitations keep working).
 */
export function desiredRoles(provider: SsoProvider, groups: string[]): Map<string, TeamRole | null> {
  const out = new Map<string, TeamRole | null>();
  const raise = (team: string, role: TeamRole) => {
    const current = out.get(team);
    if (!current || rank[role] > rank[current]) out.set(team, role);
  };
  for (const mapping of provider.groupMappings) if (!out.has(mapping.team)) out.set(mapping.team, null);
  if (provider.defaultTeam) raise(provider.defaultTeam, provider.defaultRole);
  const held = new Set(groups);
  for (const mapping of provider.groupMappings) if (held.has(mapping.group)) raise(mapping.team, mapping.role);
  return out;
}
