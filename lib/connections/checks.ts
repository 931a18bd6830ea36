import "server-only";
import { and, desc, eq, notInArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { connectionChecks, type ConnectionRow } from "@/db/schema";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import type { CheckOutcome, CheckSource, HealthCheckEntry } from "./health";

/**
 * The history of a connection's checks (Verify, a check on save, a direct Reauthorize) behind its health
 * strip. Bounded by construction: each insert deletes all but the newest CONNECTION_CHECKS_KEPT rows of
 * that connection, in the same statement batch, so the table never grows with time.
 */

export const CONNECTION_CHECKS_KEPT = 50;

export interface ConnectionCheck {
  source: CheckSource;
  outcome: CheckOutcome;
  /** Shown as is: the caller masks it with the connection's masker first (it may quote the provider). */
  message: string;
  at?: Date;
}

/** Records one check and drops the connection's older ones beyond `keep`. Call it inside the caller's transaction. */
export async function recordConnectionCheck(
  db: Executor,
  connection: Pick<ConnectionRow, "id" | "teamId">,
  check: ConnectionCheck,
  keep = CONNECTION_CHECKS_KEPT,
): Promise<void> {
  await db.insert(connectionChecks).values(
    postgresSafe({
      teamId: connection.teamId,
      connectionId: connection.id,
      source: check.source,
      outcome: check.outcome,
      message: check.message,
      // Set here, not by now(): checks recorded in one transaction keep their order.
      createdAt: check.at ?? new Date(),
    }),
  );
  const newest = db
    .select({ id: connectionChecks.id })
    .from(connectionChecks)
    .where(eq(connectionChecks.connectionId, connection.id))
    .orderBy(desc(connectionChecks.createdAt), desc(connectionChecks.id))
    .limit(keep);
  await db.delete(connectionChecks).where(and(eq(connectionChecks.connectionId, connection.id), notInArray(connectionChecks.id, newest)));
}

/** The connection's recorded checks, newest first. */
export async function listConnectionChecks(
  db: Executor,
  ctx: TeamContext,
  connectionId: string,
  limit = CONNECTION_CHECKS_KEPT,
): Promise<HealthCheckEntry[]> {
  requireRole(ctx, "member");
  return db
    .select({
      id: connectionChecks.id,
      source: connectionChecks.source,
      outcome: connectionChecks.outcome,
      message: connectionChecks.message,
      createdAt: connectionChecks.createdAt,
    })
    .from(connectionChecks)
    .where(and(eq(connectionChecks.connectionId, connectionId), eq(connectionChecks.teamId, ctx.team.id)))
    .orderBy(desc(connectionChecks.createdAt), desc(connectionChecks.id))
    .limit(limit);
}
