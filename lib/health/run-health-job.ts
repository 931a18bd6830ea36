import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { connections, teams } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { ConnectionTokenError, verifyConnection } from "@/lib/connections";
import { openConnection } from "@/lib/connections/secrets";
import { getAccessToken } from "@/lib/connections/tokens";
import { NotFoundError } from "@/lib/errors/service-error";
import type { HealthJob } from "./scheduler";

/**
 * One claimed health job. A check is Verify with the source "scheduled" (its result goes to the connection's
 * status and check history as any Verify's does). A keep-alive asks the provider for a new access token with
 * the refresh token, which providers that expire idle refresh tokens count as use; its outcome goes to the
 * token timeline (refreshed, or refresh failed and needs reauthorization) as any refresh's does.
 */

export type HealthJobOutcome = "checked" | "kept_alive" | "skipped" | "failed";

export async function runHealthJob(db: Database, job: HealthJob): Promise<HealthJobOutcome> {
  const [team] = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, job.teamId));
  if (!team) return "skipped";
  try {
    if (job.kind === "check") {
      await verifyConnection(db, healthContext(team), job.connectionId, { source: "scheduled" });
      return "checked";
    }
    return await keepAlive(db, job);
  } catch (error) {
    // Deleted since it was claimed: nothing to do.
    if (error instanceof NotFoundError) return "skipped";
    throw error;
  }
}

async function keepAlive(db: Database, job: HealthJob): Promise<HealthJobOutcome> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, job.connectionId), eq(connections.teamId, job.teamId)));
  // Nothing to keep alive: no refresh token (yet), or one the provider already refused (Reauthorize fixes it).
  if (!row || row.status === "needs_reauthorization" || !openConnection(row).secrets.refreshToken) return "skipped";
  try {
    await getAccessToken(db, job.teamId, job.connectionId, { force: true });
    return "kept_alive";
  } catch (error) {
    // Recorded by the token code (timeline, status); the job itself did its work.
    if (error instanceof ConnectionTokenError) return "failed";
    throw error;
  }
}

/** The health checks act as Plugboard itself, with a member's rights in the connection's team. */
function healthContext(team: { id: string; name: string }): TeamContext {
  const name = "Health check";
  return { actor: { id: "", email: name, name }, principal: { kind: "system", name }, team, role: "member", ip: null };
}
