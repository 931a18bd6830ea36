import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { connections, type ConnectionRow } from "@/db/schema";
import type { ConnectionSecrets } from "./config";
import { sealConnectionSecrets } from "./secrets";

/**
 * The refresh lease on a connection row: one short statement takes it, the provider is called with no
 * transaction open, and the result is written only if this caller still holds the lease and nobody changed
 * the credentials meanwhile (compare-and-set on the holder and the token version). Times are the
 * database's clock, so instances with skewed clocks agree on when a lease lapsed.
 */

/**
 * Longer than the worst provider call (3 attempts of 15 s each plus 1.25 s of pauses, see tokens.ts), so a
 * live holder never loses its lease; a crashed one blocks refreshes of that connection for at most this long.
 */
export const REFRESH_LEASE_MS = 60_000;

export type RefreshFailure = { at: string; message: string; reason: string };

/** Takes the lease if it is free (or lapsed) and the credentials are still the ones the caller read. */
export async function takeRefreshLease(db: Database, row: ConnectionRow, holder: string): Promise<boolean> {
  const taken = await db
    .update(connections)
    .set({ refreshLeaseHolder: holder, refreshLeaseExpiresAt: sql`now() + ${REFRESH_LEASE_MS} * interval '1 millisecond'` })
    .where(
      and(
        eq(connections.id, row.id),
        eq(connections.teamId, row.teamId),
        eq(connections.tokenVersion, row.tokenVersion),
        or(isNull(connections.refreshLeaseHolder), lt(connections.refreshLeaseExpiresAt, sql`now()`)),
      ),
    )
    .returning({ id: connections.id });
  return taken.length === 1;
}

/** Whether someone holds an unexpired lease, by this process's clock (a hint; takeRefreshLease decides). */
export function leaseHeld(row: ConnectionRow, now = Date.now()): boolean {
  return !!row.refreshLeaseHolder && !!row.refreshLeaseExpiresAt && row.refreshLeaseExpiresAt.getTime() > now;
}

const heldBy = (row: ConnectionRow, holder: string) =>
  and(eq(connections.id, row.id), eq(connections.refreshLeaseHolder, holder), eq(connections.tokenVersion, row.tokenVersion));

const released = { refreshLeaseHolder: null, refreshLeaseExpiresAt: null } as const;

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Stores new tokens and releases the lease, in one short transaction together with `andThen` (the timeline
 * entry). Returns false, writing nothing, when the lease was lost or the credentials were replaced meanwhile.
 */
export async function commitTokens(
  db: Database,
  row: ConnectionRow,
  holder: string,
  next: { secrets: ConnectionSecrets; expiresAt: Date | null; issuedAt: Date; scope: string[] },
  andThen: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(connections)
      .set({
        ...sealConnectionSecrets(row.teamId, row.id, next.secrets),
        ...released,
        tokenExpiresAt: next.expiresAt,
        tokenIssuedAt: next.issuedAt,
        tokenVersion: sql`${connections.tokenVersion} + 1`,
        refreshFailure: null,
        grantedScopes: next.scope,
        updatedAt: new Date(),
      })
      .where(heldBy(row, holder))
      .returning({ id: connections.id });
    if (updated.length === 0) return false;
    await andThen(tx);
    return true;
  });
}

/**
 * Records a failed refresh and releases the lease; the failure stays on the row so callers that waited for
 * this holder answer with it instead of asking the provider again. Returns false when the lease was lost.
 */
export async function releaseWithFailure(
  db: Database,
  row: ConnectionRow,
  holder: string,
  failure: Omit<RefreshFailure, "at">,
  opts: { needsReauthorization: boolean },
  andThen: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(connections)
      .set({
        ...released,
        refreshFailure: { ...failure, at: new Date().toISOString() },
        ...(opts.needsReauthorization ? { status: "needs_reauthorization" } : {}),
        updatedAt: new Date(),
      })
      .where(heldBy(row, holder))
      .returning({ id: connections.id });
    if (updated.length === 0) return false;
    await andThen(tx);
    return true;
  });
}
