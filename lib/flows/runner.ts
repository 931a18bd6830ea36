import "server-only";
import { and, count, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db";
import { noteFlowRunFinished } from "@/lib/alerts/flow-failures";
import { flowRuns, flowStepRuns, flows, teams, type FlowRow, type FlowRunRow } from "@/db/schema";
import { resolveTeamContext, type TeamContext } from "@/lib/auth/team-context";
import { getEnv } from "@/lib/config/env";
import { executeHttpRequest, parseAllowedHosts, RunCookieJar, type AllowList, type ResolveHost } from "@/lib/http";
import { loadTeamVariables, maskerWithVariables, type TeamVariables } from "@/lib/variables";
import { RunCookies } from "./run-cookies";
import { systemContext, flowSteps } from "./flows";
import { MappingError, type EvaluationScope } from "./mapping";
import type { FlowStep } from "./model";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import { resolveStepConnection, type StepConnection } from "./step-connection";
import { describeFailure, recordStep, stepScope } from "./step-record";
import { stepClock, type StepClock } from "./step-clock";
import { resolveStepSpec, StepRequestError, type StepSpecTemplate } from "./step-template";
import { actorFromColumns, describeActor } from "@/lib/auth/actor";

/**
 * Executes one queued run: claims it (at most one job owns a run; the flow's concurrency limit is checked
 * under a lock on the flow row), runs the steps in order with mapping, records each step, and finishes
 * the run. Called by the queue worker with the pg-boss job id.
 */

/**
 * finished: the run ended (a slot of its flow is free: wake a waiting run). deferred: the flow is at its
 * concurrency limit; the run waits, marked, without a job (see deferral.ts).
 */
export type RunOutcome = { kind: "finished"; flowId: string } | { kind: "ignored" } | { kind: "deferred" };

export interface RunnerOptions {
  signal?: AbortSignal;
  allowedTargets?: AllowList;
  resolveHost?: ResolveHost;
  /** Largest response body a step keeps in memory (and can pass on as a file). */
  maxBodyBytes?: number;
}

function sleep(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, seconds * 1000);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

const MAX_BODY_BYTES = 25 * 1024 * 1024;

export async function executeFlowRun(db: Database, runId: string, jobId: string, options: RunnerOptions = {}): Promise<RunOutcome> {
  const claim = await claimRun(db, runId, jobId);
  if (claim.kind !== "claimed") return claim;
  const { run, flow } = claim;
  const started = Date.now();
  const clock = stepClock(performance.now());
  const ctx = await runContext(db, run);
  if (!ctx) {
    await finishRun(db, run.id, jobId, "failed", "The flow's team no longer exists.", started);
    return { kind: "finished", flowId: flow.id };
  }
  const timeout = AbortSignal.timeout(flow.runTimeoutSeconds * 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const allowedTargets = options.allowedTargets ?? parseAllowedHosts(getEnv().allowedHosts);
  // Loaded once per run: {{vars.NAME}} reads them; their secret values are masked in every step's record.
  const variables = await loadTeamVariables(db, ctx.team.id);
  const scope: EvaluationScope = { input: run.input, steps: {}, vars: variables.values };
  // One jar per run (and per claim: a retried run starts its steps, and its cookies, over).
  const cookies = new RunCookies(new RunCookieJar());
  const steps = flowSteps(flow);
  let stopped: string | null = null;
  let failures = 0;
  for (const [position, step] of steps.entries()) {
    if (stopped) {
      await recordStep(db, run, position, step, { status: "skipped", error: "Not run: an earlier step failed.", timing: clock.skipped() });
      continue;
    }
    if (signal.aborted) {
      stopped = timeout.aborted ? `The run took longer than its limit of ${flow.runTimeoutSeconds} s and was stopped.` : "The run was cancelled.";
      await recordStep(db, run, position, step, { status: "skipped", error: stopped, timing: clock.skipped() });
      continue;
    }
    const error = await runStep(db, ctx, run, flow, step, position, scope, { ...options, signal, allowedTargets, clock, cookies, variables });
    await cookies.save(db, run.id, jobId);
    if (error) {
      failures++;
      if (step.onError === "stop") stopped = `Step “${step.name}” failed: ${error}`;
    }
  }
  const summary =
    stopped ?? (failures ? `${failures} step${failures > 1 ? "s" : ""} failed; the flow continued past ${failures > 1 ? "them" : "it"}.` : null);
  await finishRun(db, run.id, jobId, stopped ? "failed" : "succeeded", summary, started);
  return { kind: "finished", flowId: flow.id };
}

/** Runs one step; returns its error in words, or null when it succeeded. */
async function runStep(
  db: Database,
  ctx: TeamContext,
  run: FlowRunRow,
  flow: FlowRow,
  step: FlowStep,
  position: number,
  scope: EvaluationScope,
  options: RunnerOptions & { signal: AbortSignal; allowedTargets: AllowList; clock: StepClock; cookies: RunCookies; variables: TeamVariables },
): Promise<string | null> {
  const started = Date.now();
  const timing = options.clock.start();
  let connection: StepConnection | null;
  try {
    connection = await resolveStepConnection(db, ctx, flow, run, step);
  } catch (error) {
    const message = (error as Error).message;
    scope.steps[step.name] = {};
    await recordStep(db, run, position, step, {
      status: "failed",
      error: message,
      errorKind: "connection",
      durationMs: Date.now() - started,
      timing: timing.finish(),
    });
    return message;
  }
  // The one masker of the step: the connection's secrets and the team's secret variables.
  const masker = maskerWithVariables(connection?.provider.masker, options.variables);
  options.cookies.masks(masker);
  let spec: ReturnType<typeof resolveStepSpec>;
  try {
    spec = resolveStepSpec(step.spec as StepSpecTemplate, scope);
  } catch (error) {
    if (!(error instanceof MappingError || error instanceof StepRequestError)) throw error;
    scope.steps[step.name] = {};
    // The message may quote a mapped value; it is kept on the run too, so it is masked like the step.
    const message = masker.text(error.message);
    await recordStep(db, run, position, step, {
      status: "failed",
      error: message,
      errorKind: "mapping",
      masker,
      connectionName: connection?.name,
      durationMs: Date.now() - started,
      timing: timing.finish(),
    });
    return message;
  }
  // Flows always keep what went out (debug), with the connection's credentials masked.
  const send = () =>
    timing.request(() =>
      executeHttpRequest(
        { ...spec, debug: true },
        {
          provider: connection?.provider,
          allowedTargets: options.allowedTargets,
          signal: options.signal,
          maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
          resolveHost: options.resolveHost,
          limitKey: ctx.team.id,
          cookieJar: options.cookies.jar,
        },
      ),
    );
  let result = await send();
  // The instance's outbound queue is full: the step waits its turn (nothing was sent, so trying again is
  // safe) until the run's own timeout aborts it, rather than failing a run because others were busy.
  while (!result.ok && result.kind === "busy" && !options.signal.aborted) {
    const seconds = result.retryAfterSeconds ?? 1;
    await timing.wait("busy", () => sleep(seconds, options.signal));
    result = await send();
  }
  const error = result.ok && result.status < 400 ? null : describeFailure(result, connection, masker);
  scope.steps[step.name] = stepScope(result);
  await recordStep(db, run, position, step, {
    status: error ? "failed" : "succeeded",
    error,
    spec,
    result,
    masker,
    connectionName: connection?.name,
    durationMs: Date.now() - started,
    timing: timing.finish(),
  });
  return error;
}

type Claim = { kind: "claimed"; run: FlowRunRow; flow: FlowRow } | Exclude<RunOutcome, { kind: "finished" }>;

/**
 * A queued run is taken by the first job that sees it; a run already "running" under this very job id is
 * a queue retry after its worker died, and starts over. Anything else (finished, or owned by another job)
 * is left alone, so no run executes twice.
 */
async function claimRun(db: Database, runId: string, jobId: string): Promise<Claim> {
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ flowId: flowRuns.flowId }).from(flowRuns).where(eq(flowRuns.id, runId));
    if (!peek) return { kind: "ignored" };
    // The flow row lock serialises claims per flow, so the running count below is exact.
    const [flow] = await tx.select().from(flows).where(eq(flows.id, peek.flowId)).for("update");
    const [run] = await tx.select().from(flowRuns).where(eq(flowRuns.id, runId)).for("update");
    if (!flow || !run || run.teamId !== flow.teamId) return { kind: "ignored" };
    if (run.status === "succeeded" || run.status === "failed") return { kind: "ignored" };
    if (run.status === "running" && run.jobId !== jobId) return { kind: "ignored" };
    if (run.status === "queued") {
      const [{ running }] = await tx
        .select({ running: count() })
        .from(flowRuns)
        .where(and(eq(flowRuns.flowId, flow.id), eq(flowRuns.status, "running")));
      if (running >= flow.maxConcurrentRuns) {
        await tx.update(flowRuns).set({ deferredAt: new Date() }).where(eq(flowRuns.id, run.id));
        return { kind: "deferred" };
      }
    }
    await tx.delete(flowStepRuns).where(eq(flowStepRuns.runId, run.id));
    const [claimed] = await tx
      .update(flowRuns)
      .set({
        status: "running",
        jobId,
        deferredAt: null,
        attempts: run.attempts + 1,
        startedAt: new Date(),
        error: null,
        cookies: null,
        finishedAt: null,
        durationMs: null,
      })
      .where(eq(flowRuns.id, run.id))
      .returning();
    return { kind: "claimed", run: claimed, flow };
  });
}

async function finishRun(db: Database, runId: string, jobId: string, status: "succeeded" | "failed", error: string | null, started: number) {
  await db
    .update(flowRuns)
    .set({ status, error: error === null ? null : postgresSafe(error), finishedAt: new Date(), durationMs: Date.now() - started })
    .where(and(eq(flowRuns.id, runId), eq(flowRuns.jobId, jobId), eq(flowRuns.status, "running")));
  // N failed runs in a row alert the team, and the success after them resolves it (lib/alerts; it never throws).
  await noteFlowRunFinished(db, runId);
}

/**
 * The queue gave up on a run's job (its worker died or overran the time limit, and retries are used up):
 * the run is marked failed instead of staying "running".
 */
export async function markRunLost(db: Database, runId: string): Promise<{ flowId: string } | null> {
  const [run] = await db
    .select({ timeout: flows.runTimeoutSeconds, error: flowRuns.error })
    .from(flowRuns)
    .innerJoin(flows, eq(flows.id, flowRuns.flowId))
    .where(eq(flowRuns.id, runId));
  const limit = run ? ` (limit ${run.timeout} s)` : "";
  const updated = await db
    .update(flowRuns)
    .set({
      status: "failed",
      error: run?.error
        ? `The run failed unexpectedly: ${run.error}`
        : `The run stopped before it finished: the worker running it ended or exceeded the run's time limit${limit}.`,
      finishedAt: new Date(),
    })
    .where(and(eq(flowRuns.id, runId), inArray(flowRuns.status, ["queued", "running"])))
    .returning({ flowId: flowRuns.flowId });
  if (updated[0]) await noteFlowRunFinished(db, runId);
  return updated[0] ?? null;
}

/** Keeps an unexpected error's message on the run while the queue decides to retry or give up. */
export async function noteRunError(db: Database, runId: string, message: string): Promise<void> {
  await db
    .update(flowRuns)
    .set({ error: message.slice(0, 500) })
    .where(and(eq(flowRuns.id, runId), inArray(flowRuns.status, ["queued", "running"])));
}

/** Queued runs act for the user who started them while they are still a member; otherwise as the system. */
async function runContext(db: Database, run: FlowRunRow): Promise<TeamContext | null> {
  const [team] = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, run.teamId));
  if (!team) return null;
  const starter = actorFromColumns(run);
  if (starter.kind !== "user" && starter.kind !== "application") return systemContext(team, starter);
  if (starter.userId) {
    const ctx = await resolveTeamContext(db, starter.userId, team.id);
    // An application keeps acting as itself, with the role of the account it acts for.
    if (ctx && ctx.team.id === team.id) return starter.kind === "application" ? { ...ctx, principal: starter } : ctx;
  }
  return systemContext(team, { kind: "system", name: describeActor(starter) });
}
