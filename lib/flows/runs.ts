import "server-only";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { connections, flowRuns, flowStepRuns, type FlowRow, type FlowRunRow } from "@/db/schema";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { audit, flowSlots, flowSteps, loadFlow } from "./flows";
import { parseConnectionRef } from "./model";
import { enqueueRun } from "./queue";
import { actorColumns } from "@/lib/auth/actor";
import { actorFromColumns } from "@/lib/auth/actor";

export type RunTrigger = "manual" | "schedule" | "webhook" | "rerun" | "api";
export const FINISHED = ["succeeded", "failed"] as const;

export interface StartRunInput {
  flowId: string;
  input: Record<string, unknown>;
  /** Slot name → connection id; slots left out use their default. */
  slotConnections?: Record<string, string>;
  trigger: RunTrigger;
  /** Schedule ticks: the tick's time. A second instance firing the same tick gets null back. */
  scheduledFor?: Date;
  rerunOf?: string;
}

/**
 * Records a queued run and hands it to the queue. The input must be an object and every slot the steps
 * use must be filled (by the run or by the slot's default) with one of the team's connections.
 */
export async function startFlowRun(db: Database, ctx: TeamContext, input: StartRunInput): Promise<{ runId: string } | null> {
  const flow = await loadFlow(db, ctx, input.flowId);
  if (!input.input || typeof input.input !== "object" || Array.isArray(input.input)) {
    throw new ServiceError("The input must be a JSON object.", "invalid", { input: "The input must be a JSON object." });
  }
  const slotConnections = await chooseSlotConnections(db, ctx, flow, input.slotConnections ?? {});
  const runId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(flowRuns)
      .values({
        teamId: ctx.team.id,
        flowId: flow.id,
        trigger: input.trigger,
        input: input.input,
        slotConnections,
        ...actorColumns(ctx.principal),
        scheduledFor: input.scheduledFor ?? null,
        rerunOf: input.rerunOf ?? null,
      })
      .onConflictDoNothing({ target: [flowRuns.flowId, flowRuns.scheduledFor] })
      .returning({ id: flowRuns.id });
    if (!row) return null;
    await audit(tx, ctx, "flow.run_started", flow.id, { runId: row.id, trigger: input.trigger, name: flow.name });
    return row.id;
  });
  if (!runId) return null;
  try {
    await enqueueRun({ runId, timeoutSeconds: flow.runTimeoutSeconds, retries: flow.runRetries });
  } catch (error) {
    await db
      .update(flowRuns)
      .set({ status: "failed", error: "The run could not be queued. Try again.", finishedAt: new Date() })
      .where(eq(flowRuns.id, runId));
    throw error;
  }
  return { runId };
}

async function chooseSlotConnections(db: Executor, ctx: TeamContext, flow: FlowRow, given: Record<string, string>): Promise<Record<string, string>> {
  const used = new Set<string>();
  for (const step of flowSteps(flow)) {
    const ref = parseConnectionRef(step.connection);
    if (ref?.type === "slot") used.add(ref.slot);
  }
  const chosen: Record<string, string> = {};
  const fieldErrors: Record<string, string> = {};
  for (const slot of flowSlots(flow)) {
    const id = given[slot.name] || slot.defaultConnectionId;
    if (id) chosen[slot.name] = id.toLowerCase();
    else if (used.has(slot.name)) fieldErrors[`slotConnections.${slot.name}`] = `Choose a connection for “${slot.name}”.`;
  }
  const missing = Object.keys(fieldErrors);
  if (missing.length) {
    const names = [...used].filter((s) => !chosen[s]).map((s) => `“${s}”`);
    throw new ServiceError(
      `This flow needs a connection for the slot ${names.join(", ")}: choose one for this run or set a default.`,
      "invalid",
      fieldErrors,
    );
  }
  const ids = [...new Set(Object.values(chosen))];
  const valid = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
  const found = valid.length
    ? await db
        .select({ id: connections.id })
        .from(connections)
        .where(and(eq(connections.teamId, ctx.team.id), inArray(connections.id, valid)))
    : [];
  const known = new Set(found.map((f) => f.id));
  for (const [slot, id] of Object.entries(chosen)) {
    if (!known.has(id)) fieldErrors[`slotConnections.${slot}`] = `The connection chosen for “${slot}” was not found.`;
  }
  if (Object.keys(fieldErrors).length) throw new ServiceError("A chosen connection was not found.", "invalid", fieldErrors);
  return chosen;
}

/** Starts the run again with the same input and connections. */
export async function rerunFlowRun(db: Database, ctx: TeamContext, runId: string) {
  const run = await loadRun(db, ctx, runId);
  return startFlowRun(db, ctx, { flowId: run.flowId, input: run.input, slotConnections: run.slotConnections, trigger: "rerun", rerunOf: run.id });
}

export async function loadRun(db: Executor, ctx: TeamContext, runId: string): Promise<FlowRunRow> {
  requireRole(ctx, "member");
  if (!/^[0-9a-f-]{36}$/i.test(runId)) throw new NotFoundError("That run");
  const [run] = await db
    .select()
    .from(flowRuns)
    .where(and(eq(flowRuns.id, runId), eq(flowRuns.teamId, ctx.team.id)));
  if (!run) throw new NotFoundError("That run");
  return run;
}

export const RUNS_PAGE = 100;

export async function listFlowRuns(db: Executor, ctx: TeamContext, flowId: string) {
  await loadFlow(db, ctx, flowId);
  const rows = await db
    .select({
      id: flowRuns.id,
      status: flowRuns.status,
      trigger: flowRuns.trigger,
      actorKind: flowRuns.actorKind,
      actorId: flowRuns.actorId,
      actorLabel: flowRuns.actorLabel,
      actorUserId: flowRuns.actorUserId,
      createdAt: flowRuns.createdAt,
      startedAt: flowRuns.startedAt,
      finishedAt: flowRuns.finishedAt,
      durationMs: flowRuns.durationMs,
      error: flowRuns.error,
    })
    .from(flowRuns)
    .where(and(eq(flowRuns.flowId, flowId), eq(flowRuns.teamId, ctx.team.id)))
    .orderBy(desc(flowRuns.createdAt))
    .limit(RUNS_PAGE);
  return rows.map(({ actorKind, actorId, actorLabel, actorUserId, ...run }) => ({
    ...run,
    actor: actorFromColumns({ actorKind, actorId, actorLabel, actorUserId }),
  }));
}

export async function getFlowRun(db: Executor, ctx: TeamContext, runId: string) {
  const run = await loadRun(db, ctx, runId);
  const flow = await loadFlow(db, ctx, run.flowId);
  const steps = await db
    .select()
    .from(flowStepRuns)
    .where(and(eq(flowStepRuns.runId, run.id), eq(flowStepRuns.teamId, ctx.team.id)))
    .orderBy(asc(flowStepRuns.position));
  return { run, flow: { id: flow.id, name: flow.name }, steps };
}

/** The latest run's input and step outputs: the editor suggests mapping paths from them. */
export async function lastRunData(db: Executor, ctx: TeamContext, flowId: string) {
  await loadFlow(db, ctx, flowId);
  const [run] = await db
    .select({ id: flowRuns.id, input: flowRuns.input })
    .from(flowRuns)
    .where(and(eq(flowRuns.flowId, flowId), eq(flowRuns.teamId, ctx.team.id), inArray(flowRuns.status, [...FINISHED])))
    .orderBy(desc(flowRuns.createdAt))
    .limit(1);
  if (!run) return null;
  const steps = await db
    .select({
      stepName: flowStepRuns.stepName,
      responseStatus: flowStepRuns.responseStatus,
      responseHeaders: flowStepRuns.responseHeaders,
      output: flowStepRuns.output,
      responseBodyType: flowStepRuns.responseBodyType,
    })
    .from(flowStepRuns)
    .where(and(eq(flowStepRuns.runId, run.id), eq(flowStepRuns.teamId, ctx.team.id)))
    .orderBy(asc(flowStepRuns.position));
  return { input: run.input, steps };
}

/** Waits (polling the run row) until the run finished or the time is up; the webhook's wait mode. */
export async function waitForRun(db: Executor, ctx: TeamContext, runId: string, timeoutMs: number, pollMs = 200): Promise<FlowRunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await loadRun(db, ctx, runId);
    if ((FINISHED as readonly string[]).includes(run.status) || Date.now() >= deadline) return run;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
