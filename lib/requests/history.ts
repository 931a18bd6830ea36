import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { requestRuns, savedRequests } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { findTeamConnectionIds } from "@/lib/connections/team-connection-ids";
import { NO_SECRETS } from "@/lib/http/mask";
import type { RequestSpec } from "@/lib/http/spec";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { checkRequestVariables, teamVariableNames, usesExpressions } from "@/lib/variables";
import { storableSpec } from "./storable-spec";
import { actorFromColumns } from "@/lib/auth/actor";

export const HISTORY_LIMIT = 50;

/** The team's recent runs, newest first (every member sees the team's history). */
export async function listRecentRuns(db: Executor, ctx: TeamContext) {
  const rows = await db
    .select({
      id: requestRuns.id,
      actorKind: requestRuns.actorKind,
      actorId: requestRuns.actorId,
      actorLabel: requestRuns.actorLabel,
      actorUserId: requestRuns.actorUserId,
      method: requestRuns.method,
      url: requestRuns.url,
      ok: requestRuns.ok,
      status: requestRuns.status,
      errorKind: requestRuns.errorKind,
      durationMs: requestRuns.durationMs,
      // The HTTP version of the last request the run sent, from its stored timings.
      protocol: sql<string | null>`${requestRuns.timing}->'exchanges'->-1->>'protocol'`,
      connectionName: requestRuns.connectionName,
      createdAt: requestRuns.createdAt,
    })
    .from(requestRuns)
    .where(eq(requestRuns.teamId, ctx.team.id))
    .orderBy(desc(requestRuns.createdAt))
    .limit(HISTORY_LIMIT);
  return rows.map(({ actorKind, actorId, actorLabel, actorUserId, ...run }) => ({
    ...run,
    actor: actorFromColumns({ actorKind, actorId, actorLabel, actorUserId }),
  }));
}

export async function getRun(db: Executor, ctx: TeamContext, runId: string) {
  const [run] = await db
    .select()
    .from(requestRuns)
    .where(and(eq(requestRuns.id, runId), eq(requestRuns.teamId, ctx.team.id)));
  if (!run) throw new NotFoundError("That run");
  return run;
}

export async function listSavedRequests(db: Executor, ctx: TeamContext) {
  return db
    .select({
      id: savedRequests.id,
      name: savedRequests.name,
      connectionId: savedRequests.connectionId,
      spec: savedRequests.spec,
      updatedAt: savedRequests.updatedAt,
    })
    .from(savedRequests)
    .where(eq(savedRequests.teamId, ctx.team.id))
    .orderBy(savedRequests.name);
}

/** Saves under a name; saving again with the same name replaces that request. */
export async function saveRequest(db: Database, ctx: TeamContext, input: { name: string; connectionId: string | null; spec: RequestSpec }) {
  // What the user typed is kept as typed: the connection's secrets are applied at run time, not stored here.
  const spec = storableSpec(input.spec, NO_SECRETS);
  // {{vars.NAME}} must name one of the team's variables (the names only: no value is decrypted).
  // A saved request may name {{input.NAME}} too: offered as an MCP tool, the call's arguments fill it.
  if (usesExpressions(input.spec)) checkRequestVariables(input.spec, await teamVariableNames(db, ctx.team.id), { input: true });
  return db.transaction(async (tx) => {
    // Only the team's own connection: another team's id (or a deleted one) would be a dangling reference.
    if (input.connectionId && !(await findTeamConnectionIds(tx, ctx, [input.connectionId])).size) {
      throw new ServiceError("That connection was not found.", "invalid", { connectionId: "Choose one of the team's connections." });
    }
    const [row] = await tx
      .insert(savedRequests)
      .values({ teamId: ctx.team.id, name: input.name, connectionId: input.connectionId, spec, createdBy: ctx.actor.id })
      .onConflictDoUpdate({
        target: [savedRequests.teamId, savedRequests.name],
        set: { connectionId: input.connectionId, spec, updatedAt: new Date() },
      })
      .returning({ id: savedRequests.id });
    if (!row) throw new ServiceError("The request could not be saved.");
    await recordTeamAudit(tx, ctx, {
      action: "request.saved",
      target: { type: "saved_request", id: row.id },
      metadata: { name: input.name },
    });
    return row;
  });
}

export async function deleteSavedRequest(db: Database, ctx: TeamContext, id: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(savedRequests)
      .where(and(eq(savedRequests.id, id), eq(savedRequests.teamId, ctx.team.id)))
      .returning({ id: savedRequests.id, name: savedRequests.name });
    if (!row) throw new NotFoundError("That saved request");
    await recordTeamAudit(tx, ctx, {
      action: "request.deleted",
      target: { type: "saved_request", id: row.id },
      metadata: { name: row.name },
    });
  });
}
