import type { OAuthTestEvent, RevokeFilter } from "./oauth-test-server";
import type { IdTokenTamper } from "./oauth-test-tamper";

/**
 * The OAuth test server's controls over HTTP, for a test runner in another process than the server
 * (e.g. Playwright tests when the server was started by the CLI or a Playwright globalSetup).
 */
export function oauthTestControl(issuer: string) {
  const call = async (method: "GET" | "POST", path: string, query: Record<string, string | undefined> = {}) => {
    const url = new URL(path, issuer);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const res = await fetch(url, { method });
    if (!res.ok) throw new Error(`${method} ${url.pathname} answered HTTP ${res.status}`);
    return res.json();
  };
  const state = () => call("GET", "/__test/state") as Promise<{ grants: Record<string, number>; events: OAuthTestEvent[] }>;
  return {
    state,
    countGrants: async (grantType: string) => (await state()).grants[grantType] ?? 0,
    revokeRefreshTokens: async (filter: RevokeFilter = {}) =>
      ((await call("POST", "/__test/revoke-refresh-tokens", filter)) as { revoked: number }).revoked,
    expireAccessTokens: async () => ((await call("POST", "/__test/expire-access-tokens")) as { expired: number }).expired,
    setAccountClaims: async (sub: string, claims: Record<string, unknown>) => {
      const url = new URL("/__test/account-claims", issuer);
      url.searchParams.set("sub", sub);
      const res = await fetch(url, { method: "POST", body: JSON.stringify(claims) });
      if (!res.ok) throw new Error(`POST ${url.pathname} answered HTTP ${res.status}`);
    },
    tamperNextIdToken: async (sub: string, how: IdTokenTamper) => {
      await call("POST", "/__test/tamper-id-token", { sub, how });
    },
    resetEvents: async () => {
      await call("POST", "/__test/reset-events");
    },
  };
}
