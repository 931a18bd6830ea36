import "server-only";
import type * as oauth from "oauth4webapi";
import type { AuthorizationCodeConfig } from "./config";

/** What the caller stores (encrypted) after a token request. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Lower-cased by oauth4webapi, e.g. "bearer". */
  tokenType: string;
  expiresAt?: Date;
  /** When the answer arrived; with expiresAt it gives the token's lifetime. */
  issuedAt: Date;
  /** Granted scopes; the requested ones when the provider does not say (RFC 6749 §5.1). */
  scope: string[];
}

export function toTokenSet(
  res: oauth.TokenEndpointResponse,
  requested: string[],
  separator: AuthorizationCodeConfig["scopeSeparator"],
  now = Date.now(),
): TokenSet {
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token,
    tokenType: res.token_type,
    expiresAt: res.expires_in !== undefined ? new Date(now + res.expires_in * 1000) : undefined,
    issuedAt: new Date(now),
    scope: res.scope !== undefined ? splitScope(res.scope, separator) : [...requested],
  };
}

// Providers often answer space-separated even when they take another separator, so accept both.
function splitScope(scope: string, separator: AuthorizationCodeConfig["scopeSeparator"]): string[] {
  const pattern = separator === "+" ? /[\s,+]+/ : /[\s,]+/;
  return scope.split(pattern).filter(Boolean);
}
