import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { connections, connectionTokenEvents, type ConnectionRow } from "@/db/schema";
import {
  OAuthError,
  OAuthProviderError,
  OAuthTransientError,
  refreshAccessToken,
  requestClientCredentialsToken,
  type TokenSet,
} from "@/lib/oauth-client";
import { authorizationCodeSettings, clientCredentialsSettings, oauthEndpoints, type ConnectionSecrets, type StoredConfig } from "./config";
import { ConnectionTokenError } from "./errors";
import { oauthOptions } from "./oauth-transport";
import { openConnection, sealConnectionSecrets, type ConnectionMasker } from "./secrets";

/**
 * Access tokens of OAuth connections, shared by every request and every app instance: cached (encrypted) on
 * the connection row until a minute before expiry, refreshed by exactly one caller at a time. Within a
 * process, concurrent callers share one promise; across processes, the refresh runs while holding the
 * connection row (SELECT … FOR UPDATE), and whoever gets the row next re-reads it and finds the new token.
 */

export const REFRESH_AHEAD_MS = 60_000;
const TRANSIENT_RETRY_DELAYS_MS = [250, 1000];

export interface AccessToken {
  accessToken: string;
  tokenType: string;
  expiresAt: Date | null;
}

export interface TokenRequest {
  /** The server refused the token (expired status): get a new one unless someone already did. */
  force: boolean;
  /** The token the caller used and found refused; a different current token counts as already refreshed. */
  staleToken?: string;
}

const inFlight = new Map<string, Promise<AccessToken>>();

export async function getAccessToken(db: Database, teamId: string, connectionId: string, req: TokenRequest): Promise<AccessToken> {
  const running = inFlight.get(connectionId);
  if (running) {
    // Its failure is everyone's failure: callers that arrived together do not each retry the provider.
    const shared = await running;
    // A forced caller whose refused token is what the running call returned needs a new one.
    if (!(req.force && shared.accessToken === req.staleToken)) return shared;
  }
  const promise = obtainLocked(db, teamId, connectionId, req);
  inFlight.set(connectionId, promise);
  try {
    return await promise;
  } finally {
    if (inFlight.get(connectionId) === promise) inFlight.delete(connectionId);
  }
}

type Outcome = { ok: true; token: AccessToken } | { ok: false; error: ConnectionTokenError };

async function obtainLocked(db: Database, teamId: string, connectionId: string, req: TokenRequest): Promise<AccessToken> {
  // Failures are returned, not thrown, so the "needs reauthorization" status and the timeline entry commit.
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const [row] = await tx
      .select()
      .from(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.teamId, teamId)))
      .for("update");
    if (!row) return { ok: false, error: new ConnectionTokenError("The connection no longer exists.", "config") };
    if (row.type !== "oauth2_code" && row.type !== "oauth2_client_credentials") {
      return { ok: false, error: new ConnectionTokenError("This connection does not use OAuth tokens.", "config") };
    }
    const { secrets, masker } = openConnection(row);
    const cached = usableToken(row, secrets, req);
    if (cached) return { ok: true, token: cached };
    if (row.status === "needs_reauthorization") {
      return { ok: false, error: needsReauthorization(row.name, "the provider refused its refresh token earlier") };
    }
    return renewToken(tx, row, secrets, masker);
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.token;
}

function usableToken(row: ConnectionRow, secrets: ConnectionSecrets, req: TokenRequest): AccessToken | undefined {
  if (!secrets.accessToken) return undefined;
  if (req.force && (req.staleToken === undefined || req.staleToken === secrets.accessToken)) return undefined;
  const expiresAt = row.tokenExpiresAt;
  if (expiresAt && expiresAt.getTime() - REFRESH_AHEAD_MS <= Date.now()) return undefined;
  return { accessToken: secrets.accessToken, tokenType: secrets.tokenType ?? "bearer", expiresAt: expiresAt ?? null };
}

async function renewToken(tx: Executor, row: ConnectionRow, secrets: ConnectionSecrets, masker: ConnectionMasker): Promise<Outcome> {
  const config = row.config as StoredConfig;
  const isCode = row.type === "oauth2_code";
  // Provider errors come back masked with every secret of the connection (lib/oauth-client's toOAuthError).
  const opts = oauthOptions(oauthEndpoints(config), masker);
  if (isCode && !secrets.refreshToken) {
    const error = needsReauthorization(row.name, "the provider issued no refresh token and the access token expired");
    await markNeedsReauthorization(tx, row, error.message);
    return { ok: false, error };
  }
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const tokens = isCode
        ? await refreshAccessToken(authorizationCodeSettings(config, secrets), secrets.refreshToken as string, opts)
        : await requestClientCredentialsToken(clientCredentialsSettings(config, secrets), opts);
      return { ok: true, token: await storeTokens(tx, row, secrets, tokens, attempts) };
    } catch (err) {
      const delay = TRANSIENT_RETRY_DELAYS_MS[attempts - 1];
      if (err instanceof OAuthTransientError && delay !== undefined) {
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      return { ok: false, error: await recordFailure(tx, row, err, attempts) };
    }
  }
}

async function storeTokens(tx: Executor, row: ConnectionRow, secrets: ConnectionSecrets, tokens: TokenSet, attempts: number): Promise<AccessToken> {
  const next: ConnectionSecrets = { ...secrets, accessToken: tokens.accessToken, tokenType: tokens.tokenType };
  if (row.type === "oauth2_code") next.refreshToken = tokens.refreshToken ?? secrets.refreshToken;
  const sealed = sealConnectionSecrets(row.teamId, row.id, next);
  await tx
    .update(connections)
    .set({ ...sealed, tokenExpiresAt: tokens.expiresAt ?? null, grantedScopes: tokens.scope, updatedAt: new Date() })
    .where(eq(connections.id, row.id));
  const rotated = row.type === "oauth2_code" && tokens.refreshToken && tokens.refreshToken !== secrets.refreshToken;
  const kind = row.type === "oauth2_code" ? "refreshed" : "issued";
  const what = row.type === "oauth2_code" ? "Access token refreshed" : "Access token issued (client credentials)";
  await recordTokenEvent(tx, row, {
    kind,
    message: `${what}${rotated ? "; the provider rotated the refresh token" : ""}${attempts > 1 ? ` after ${attempts} attempts` : ""}.`,
    expiresAt: tokens.expiresAt ?? null,
    attempts,
  });
  return { accessToken: tokens.accessToken, tokenType: tokens.tokenType, expiresAt: tokens.expiresAt ?? null };
}

async function recordFailure(tx: Executor, row: ConnectionRow, err: unknown, attempts: number): Promise<ConnectionTokenError> {
  const isCode = row.type === "oauth2_code";
  const what = isCode ? "Refreshing the access token failed" : "Getting an access token failed";
  const detail = err instanceof OAuthError ? err.message : "unexpected error";
  if (isCode && err instanceof OAuthProviderError && err.isInvalidGrant) {
    const error = needsReauthorization(row.name, `the provider refused the refresh token (${err.errorDescription ?? err.error}); it was revoked or expired`);
    await markNeedsReauthorization(tx, row, error.message, attempts);
    return error;
  }
  const reason = err instanceof OAuthTransientError ? "transient" : err instanceof OAuthProviderError ? "provider" : "config";
  const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
  const message = `${what}${tries}: ${detail}`;
  await recordTokenEvent(tx, row, { kind: "refresh_failed", message, attempts });
  if (!(err instanceof OAuthError)) console.error("[plugboard] token request failed:", err instanceof Error ? err.name : "unknown");
  return new ConnectionTokenError(`Connection "${row.name}": ${message}`, reason);
}

function needsReauthorization(name: string, why: string): ConnectionTokenError {
  return new ConnectionTokenError(`Connection "${name}" needs reauthorization: ${why}. Open Connections and click Reauthorize.`, "needs_reauthorization");
}

async function markNeedsReauthorization(tx: Executor, row: ConnectionRow, message: string, attempts = 1): Promise<void> {
  await tx.update(connections).set({ status: "needs_reauthorization", updatedAt: new Date() }).where(eq(connections.id, row.id));
  await recordTokenEvent(tx, row, { kind: "refresh_failed", message, attempts });
}

export async function recordTokenEvent(
  db: Executor,
  row: Pick<ConnectionRow, "id" | "teamId">,
  event: { kind: "issued" | "refreshed" | "refresh_failed" | "revoked" | "authorization_failed"; message: string; expiresAt?: Date | null; attempts?: number },
): Promise<void> {
  await db.insert(connectionTokenEvents).values({
    teamId: row.teamId,
    connectionId: row.id,
    kind: event.kind,
    message: event.message,
    expiresAt: event.expiresAt ?? null,
    attempts: event.attempts ?? null,
  });
}
