import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { connections, connectionTokenEvents, type ConnectionRow } from "@/db/schema";
import { noteConnectionStatus } from "@/lib/alerts/connection-status";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import { OAuthError, OAuthProviderError, OAuthTransientError, type TokenSet } from "@/lib/oauth-client";
import { executeHttpRequest } from "@/lib/http";
import type { ConnectionSecrets, StoredConfig } from "./config";
import { ConnectionTokenError } from "./errors";
import { adminAllowList, oauthOptions } from "./oauth-transport";
import { commitTokens, leaseHeld, REFRESH_LEASE_MS, releaseWithFailure, takeRefreshLease } from "./refresh-lease";
import { openConnection, type ConnectionMasker } from "./secrets";
import { clientCertificateOf } from "./types/client-certificate";
import { connectionProxyOf } from "./types/proxy";
import type { TokenEventKind } from "./health";
import type { AccessToken, TokenSupport } from "./types/descriptor";
import { tokensOf } from "./types/registry";

/**
 * Access tokens of the connection types that hold one (OAuth grants, a custom login), shared by every request and every app instance: cached (encrypted) on
 * the connection row until shortly before expiry (see refreshAheadMs), refreshed by exactly one caller at a
 * time. Within a process, concurrent callers share one promise; across processes, the caller holding the
 * row's refresh lease (refresh-lease.ts) asks the provider with no transaction open, and everyone else polls
 * the row until the holder wrote its result (new token or failure) or its lease lapsed.
 */

/** Refresh at most this long before expiry... */
export const REFRESH_AHEAD_MAX_MS = 60_000;
/**
 * ...and at most this share of the token's lifetime before: a 5-second token is used for its first 3.75 s
 * instead of being refreshed on every request. A quarter keeps refreshes at 4/3 of the unavoidable rate
 * while leaving a margin (1.25 s for 5-s tokens) for the request's own trip and the provider's clock.
 */
export const REFRESH_AHEAD_FRACTION = 1 / 4;
const TRANSIENT_RETRY_DELAYS_MS = [250, 1000];
// Waiters poll the row: quickly at first (a refresh usually takes a few hundred ms), then every half second.
const WAIT_POLL_MS = [25, 50, 100, 200, 350, 500];

export type { AccessToken } from "./types/descriptor";

export interface TokenRequest {
  /** The server refused the token (expired status): get a new one unless someone already did. */
  force: boolean;
  /** The token the caller used and found refused; a different current token counts as already refreshed. */
  staleToken?: string;
  /** How the timeline records a token obtained for this call: Reauthorize asks for "reauthorized". */
  eventKind?: "reauthorized";
}

/** How long before expiry a token counts as due: min(60 s, a quarter of its lifetime). */
export function refreshAheadMs(issuedAt: Date | null, expiresAt: Date): number {
  if (!issuedAt) return REFRESH_AHEAD_MAX_MS; // stored before lifetimes were recorded
  const lifetime = Math.max(0, expiresAt.getTime() - issuedAt.getTime());
  return Math.min(REFRESH_AHEAD_MAX_MS, lifetime * REFRESH_AHEAD_FRACTION);
}

const inFlight = new Map<string, Promise<AccessToken>>();

export async function getAccessToken(db: Database, teamId: string, connectionId: string, req: TokenRequest): Promise<AccessToken> {
  const running = inFlight.get(connectionId);
  if (running !== undefined) {
    // Its failure is everyone's failure: callers that arrived together do not each retry the provider.
    const shared = await running;
    // A forced caller whose refused token is what the running call returned needs a new one.
    if (!(req.force && shared.accessToken === req.staleToken)) return shared;
  }
  const promise = obtain(db, teamId, connectionId, req);
  inFlight.set(connectionId, promise);
  try {
    return await promise;
  } finally {
    if (inFlight.get(connectionId) === promise) inFlight.delete(connectionId);
  }
}

async function obtain(db: Database, teamId: string, connectionId: string, req: TokenRequest): Promise<AccessToken> {
  let first: ConnectionRow | undefined;
  const deadline = Date.now() + REFRESH_LEASE_MS + 5_000;
  for (let poll = 0; ; poll++) {
    const [row] = await db
      .select()
      .from(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.teamId, teamId)));
    if (!row) throw new ConnectionTokenError("The connection no longer exists.", "config");
    const tokens = tokensOf(row.config as StoredConfig);
    if (!tokens) throw new ConnectionTokenError("This connection does not use tokens.", "config");
    first ??= row;
    const { secrets, masker } = openConnection(row);
    // A new token version since the first look means someone refreshed for us: a forced caller takes it.
    const cached = usableToken(row, secrets, req, row.tokenVersion !== first.tokenVersion);
    if (cached) return cached;
    if (row.status === "needs_reauthorization") {
      throw needsReauthorization(row.name, "the provider refused its refresh token earlier");
    }
    const failure = row.refreshFailure;
    if (failure && failure.at !== first.refreshFailure?.at && !leaseHeld(row)) {
      // The holder we waited for failed: its answer is ours too (the provider is not asked once per waiter).
      throw new ConnectionTokenError(failure.message, failureReason(failure.reason));
    }
    if (!leaseHeld(row)) {
      const holder = randomUUID();
      if (await takeRefreshLease(db, row, holder)) return renewToken(db, row, tokens, secrets, holder, masker, req.eventKind);
    }
    if (Date.now() > deadline) {
      throw new ConnectionTokenError(`Connection "${row.name}": another token refresh is still running; try again shortly.`, "transient");
    }
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS[Math.min(poll, WAIT_POLL_MS.length - 1)]));
  }
}

function usableToken(row: ConnectionRow, secrets: ConnectionSecrets, req: TokenRequest, refreshedMeanwhile: boolean): AccessToken | undefined {
  if (!secrets.accessToken) return undefined;
  if (req.force && !refreshedMeanwhile && (req.staleToken === undefined || req.staleToken === secrets.accessToken)) return undefined;
  const expiresAt = row.tokenExpiresAt;
  if (expiresAt && expiresAt.getTime() - refreshAheadMs(row.tokenIssuedAt, expiresAt) <= Date.now()) return undefined;
  return { accessToken: secrets.accessToken, tokenType: secrets.tokenType ?? "bearer", expiresAt: expiresAt ?? null };
}

function failureReason(reason: string): ConnectionTokenError["reason"] {
  return reason === "transient" || reason === "provider" || reason === "needs_reauthorization" ? reason : "config";
}

/** Called holding the lease: asks the provider (no transaction open) and compare-and-sets the result. */
async function renewToken(
  db: Database,
  row: ConnectionRow,
  tokens: TokenSupport<StoredConfig>,
  secrets: ConnectionSecrets,
  holder: string,
  masker: ConnectionMasker,
  eventKind?: "reauthorized",
): Promise<AccessToken> {
  const config = row.config as StoredConfig;
  if (tokens.renewal === "refresh" && !secrets.refreshToken) {
    const error = needsReauthorization(row.name, "the provider issued no refresh token and the access token expired");
    await recordFailure(db, row, holder, error, 1, true);
    throw error;
  }
  // Provider errors come back masked with every secret of the connection (lib/oauth-client's toOAuthError).
  const clientCertificate = clientCertificateOf(secrets);
  const caCertificatePem = config.tlsCaCertificate || undefined;
  const proxy = connectionProxyOf(config, secrets);
  const oauth = oauthOptions(tokens.endpoints(config), masker, { clientCertificate, caCertificatePem, proxy });
  // A login step (custom auth) goes through the guarded executor, within this team's outbound share.
  const send = (spec: Parameters<typeof executeHttpRequest>[0]) =>
    executeHttpRequest(spec, { allowedTargets: adminAllowList(), limitKey: row.teamId, clientCertificate, caCertificatePem, proxy });
  let attempts = 0;
  for (;;) {
    attempts++;
    let issued: TokenSet;
    try {
      issued = await tokens.obtain({ config, secrets, oauth, send });
    } catch (err) {
      const delay = TRANSIENT_RETRY_DELAYS_MS[attempts - 1];
      const transient = err instanceof OAuthTransientError || (err instanceof ConnectionTokenError && err.reason === "transient");
      if (transient && delay !== undefined) {
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      throw await failRefresh(db, row, tokens, holder, err, attempts);
    }
    return storeTokens(db, row, tokens, secrets, holder, issued, attempts, eventKind);
  }
}

async function storeTokens(
  db: Database,
  row: ConnectionRow,
  support: TokenSupport<StoredConfig>,
  secrets: ConnectionSecrets,
  holder: string,
  tokens: TokenSet,
  attempts: number,
  eventKind?: "reauthorized",
): Promise<AccessToken> {
  const refreshes = support.renewal === "refresh";
  const next: ConnectionSecrets = { ...secrets, accessToken: tokens.accessToken, tokenType: tokens.tokenType };
  if (refreshes) next.refreshToken = tokens.refreshToken ?? secrets.refreshToken;
  const rotated = refreshes && tokens.refreshToken && tokens.refreshToken !== secrets.refreshToken;
  const kind = eventKind ?? (refreshes ? "refreshed" : "issued");
  const what = support.issuedMessage;
  const stored = await commitTokens(
    db,
    row,
    holder,
    { secrets: next, expiresAt: tokens.expiresAt ?? null, issuedAt: tokens.issuedAt, scope: tokens.scope },
    (tx) =>
      recordTokenEvent(tx, row, {
        kind,
        message: `${what}${rotated ? "; the provider rotated the refresh token" : ""}${attempts > 1 ? ` after ${attempts} attempts` : ""}.`,
        expiresAt: tokens.expiresAt ?? null,
        attempts,
      }),
  );
  // Lost only if the credentials were replaced (edit, reauthorize) during the call: the token still serves this request.
  if (!stored) console.warn("[plugboard] a token refresh finished after its connection changed; its result was not stored");
  return { accessToken: tokens.accessToken, tokenType: tokens.tokenType, expiresAt: tokens.expiresAt ?? null };
}

async function failRefresh(
  db: Database,
  row: ConnectionRow,
  support: TokenSupport<StoredConfig>,
  holder: string,
  err: unknown,
  attempts: number,
): Promise<ConnectionTokenError> {
  const isCode = support.renewal === "refresh";
  if (isCode && err instanceof OAuthProviderError && err.isInvalidGrant) {
    const error = needsReauthorization(
      row.name,
      `the provider refused the refresh token (${err.errorDescription ?? err.error}); it was revoked or expired`,
    );
    await recordFailure(db, row, holder, error, attempts, true);
    return error;
  }
  const what = isCode ? "Refreshing the access token failed" : "Getting an access token failed";
  const detail = err instanceof OAuthError || err instanceof ConnectionTokenError ? err.message : "unexpected error";
  const reason =
    err instanceof ConnectionTokenError
      ? err.reason
      : err instanceof OAuthTransientError
        ? "transient"
        : err instanceof OAuthProviderError
          ? "provider"
          : "config";
  const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
  const message = `${what}${tries}: ${detail}`;
  const error = new ConnectionTokenError(`Connection "${row.name}": ${message}`, reason);
  // A refusal in words (the provider's, or a login step's) is the timeline's business, not an error of Plugboard's.
  if (!(err instanceof OAuthError || err instanceof ConnectionTokenError))
    console.error("[plugboard] token request failed:", err instanceof Error ? err.name : "unknown");
  await recordFailure(db, row, holder, error, attempts, false, message);
  return error;
}

async function recordFailure(
  db: Database,
  row: ConnectionRow,
  holder: string,
  error: ConnectionTokenError,
  attempts: number,
  needsReauthorization: boolean,
  timelineMessage = error.message,
): Promise<void> {
  await releaseWithFailure(db, row, holder, { message: error.message, reason: error.reason }, { needsReauthorization }, (tx) =>
    recordTokenEvent(tx, row, { kind: "refresh_failed", message: timelineMessage, attempts }),
  );
  // The status changed to needs_reauthorization: the people who can fix it are told (lib/alerts).
  if (needsReauthorization) await noteConnectionStatus(db, row.id);
}

function needsReauthorization(name: string, why: string): ConnectionTokenError {
  return new ConnectionTokenError(
    `Connection "${name}" needs reauthorization: ${why}. Open Connections and click Reauthorize.`,
    "needs_reauthorization",
  );
}

export async function recordTokenEvent(
  db: Executor,
  row: Pick<ConnectionRow, "id" | "teamId">,
  event: {
    kind: TokenEventKind;
    message: string;
    expiresAt?: Date | null;
    attempts?: number;
  },
): Promise<void> {
  // The message may quote a provider's answer, which may hold NUL characters.
  await db.insert(connectionTokenEvents).values(
    postgresSafe({
      teamId: row.teamId,
      connectionId: row.id,
      kind: event.kind,
      message: event.message,
      expiresAt: event.expiresAt ?? null,
      attempts: event.attempts ?? null,
    }),
  );
}
