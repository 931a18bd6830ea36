import { startOAuthTestServer, type OAuthTestServer } from "./oauth-test-server";

/**
 * Two OpenID Connect providers for Plugboard's own sign-in in the browser tests (e2e/sso.spec.ts), started
 * with the app, whose PLUGBOARD_OIDC_PROVIDERS names them. Their teams ("SSO Acme", "SSO Partner") are made
 * by the spec; a provider whose team does not exist yet refuses sign-in as giving access to no team.
 */
export const SSO_TEST_TEAMS = { acme: "SSO Acme", partner: "SSO Partner" } as const;

/** The test client of a provider whose Plugboard id is `id`: what an admin registers at the provider. */
export function ssoTestClient(id: string, appPort: number) {
  return {
    clientId: `plugboard-sso-${id}`,
    clientSecret: `plugboard-sso-${id}-secret-0123456789abcdef`,
    redirectUris: [`http://localhost:${appPort}/api/auth/callback/oidc-${id}`],
  };
}

/** A provider not in the environment: e2e/sso-admin.spec.ts adds it on the admin page (Acme's server knows its client). */
export const SSO_ADMIN_ADDED_ID = "added";

export async function startSsoTestProviders(appPort: number): Promise<{ env: Record<string, string>; servers: OAuthTestServer[] }> {
  const client = (id: string) => ssoTestClient(id, appPort);
  const acmeClient = client("acme");
  const partnerClient = client("partner");
  const acme = await startOAuthTestServer({ ssoClients: [acmeClient, client(SSO_ADMIN_ADDED_ID)] });
  const partner = await startOAuthTestServer({ ssoClients: [partnerClient] });
  const providers = [
    {
      id: "acme",
      label: "Sign in with Acme ID",
      issuer: acme.issuer,
      clientId: acmeClient.clientId,
      clientSecret: acmeClient.clientSecret,
      allowedDomains: ["acme.test"],
      defaultTeam: SSO_TEST_TEAMS.acme,
      defaultRole: "member",
      groupMappings: [{ group: "plugboard-admins", team: SSO_TEST_TEAMS.acme, role: "admin" }],
    },
    {
      id: "partner",
      label: "Sign in with Partner ID",
      issuer: partner.issuer,
      clientId: partnerClient.clientId,
      clientSecret: partnerClient.clientSecret,
      // This one's users have no verified flag; any domain.
      requireEmailVerified: false,
      groupMappings: [{ group: "partner-staff", team: SSO_TEST_TEAMS.partner, role: "member" }],
    },
  ];
  return { env: { PLUGBOARD_OIDC_PROVIDERS: JSON.stringify(providers) }, servers: [acme, partner] };
}
