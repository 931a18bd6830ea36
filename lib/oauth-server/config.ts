import { getEnv } from "@/lib/config/env";

/** Access token lifetime in seconds: PLUGBOARD_OAUTH_ACCESS_TOKEN_TTL, 899 by default. */
export function accessTokenTtlSeconds(): number {
  return getEnv().oauthAccessTokenTtl;
}

/** Refresh token lifetime in seconds: PLUGBOARD_OAUTH_REFRESH_TOKEN_TTL, 30 days by default. */
export function refreshTokenTtlSeconds(): number {
  return getEnv().oauthRefreshTokenTtl;
}

export type TokenLifetimes = { accessSeconds: number; refreshSeconds: number };

/** An application's token lifetimes: its own where set, else the instance defaults. */
export function tokenLifetimes(client: { accessTokenTtlSeconds: number | null; refreshTokenTtlSeconds: number | null }): TokenLifetimes {
  return {
    accessSeconds: client.accessTokenTtlSeconds ?? accessTokenTtlSeconds(),
    refreshSeconds: client.refreshTokenTtlSeconds ?? refreshTokenTtlSeconds(),
  };
}

/** Secrets a client may have active (neither revoked nor expired) at once: PLUGBOARD_OAUTH_MAX_CLIENT_SECRETS, 2 by default. */
export function maxActiveClientSecrets(): number {
  return getEnv().oauthMaxClientSecrets;
}

/** The lifetime of a new secret in days (null: it does not expire): the application's, else the instance default. */
export function secretLifetimeDays(client: { secretLifetimeDays: number | null }): number | null {
  const days = client.secretLifetimeDays ?? getEnv().oauthClientSecretLifetimeDays;
  return days > 0 ? days : null;
}

/** The Applications list warns this many days before an application's last active secret expires. */
export const SECRET_EXPIRY_WARNING_DAYS = 14;
/** RFC 6749 §4.1.2 recommends at most ten minutes; one is plenty for a redirect. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

/** RFC 9068 §3: without a resource indicator, a JWT access token's aud is Plugboard's REST API. */
export function accessTokenAudience(): string {
  return `${getEnv().publicUrl}/api/v1`;
}

/** The issuer (RFC 8414 / RFC 9207): the public URL users open. */
export function issuer(): string {
  return getEnv().publicUrl;
}

export const CLIENT_AUTH_LIMITS = {
  client: { limit: 10, windowSeconds: 15 * 60 },
  ip: { limit: 50, windowSeconds: 15 * 60 },
} as const;

/**
 * `oauth_clients.last_used_at` is written at most once per this many seconds per client: the applications
 * page shows when a client was last used, and a write per token would make every token request of one
 * client queue on that row's lock.
 */
export const LAST_USED_RESOLUTION_SECONDS = 60;
