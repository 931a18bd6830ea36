import { z } from "zod";
import { line, LIMITS } from "@/lib/validation/fields";
import { getFlowRun, listFlowRuns, listFlows, loadFlow, startFlowRun } from "@/lib/flows";
import { defineApiRoute } from "../define-route";
import { apiActorSchema, toApiActor } from "./actor";

const idParams = z.object({ id: z.uuid("Not a flow id.") });
const iso = (d: Date | null) => d?.toISOString() ?? null;

const flowSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  steps: z.number().int().describe("Number of steps."),
  scheduleCron: z.string().nullable(),
  scheduleTimezone: z.string(),
  nextRunAt: z.iso.datetime().nullable(),
  hasWebhook: z.boolean(),
  lastRun: z.object({ id: z.uuid(), status: z.string(), createdAt: z.iso.datetime() }).nullable(),
});

const runSummarySchema = z.object({
  id: z.uuid(),
  status: z.string().describe("queued, running, succeeded, failed or cancelled."),
  trigger: z.string().describe("manual, schedule, webhook, api or rerun."),
  actor: apiActorSchema,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const listFlowsRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/flows",
  operationId: "listFlows",
  summary: "List the team's flows",
  tag: "Flows",
  scope: "flows:read",
  response: z.object({ flows: z.array(flowSummarySchema) }),
  handler: async ({ db, ctx }) => ({
    flows: (await listFlows(db, ctx)).map((f) => ({
      ...f,
      nextRunAt: iso(f.nextRunAt),
      lastRun: f.lastRun ? { ...f.lastRun, createdAt: f.lastRun.createdAt.toISOString() } : null,
    })),
  }),
});

export const getFlowRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/flows/{id}",
  operationId: "getFlow",
  summary: "Get a flow with its steps and connection slots",
  tag: "Flows",
  scope: "flows:read",
  params: idParams,
  response: z.object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    active: z.boolean(),
    sampleInput: z.unknown(),
    slots: z.array(z.unknown()).describe("Connection slots each run fills."),
    steps: z.array(z.unknown()).describe("The steps, as the editor saves them (requests with {{…}} expressions)."),
    scheduleCron: z.string().nullable(),
    scheduleTimezone: z.string(),
    nextRunAt: z.iso.datetime().nullable(),
    hasWebhook: z.boolean(),
    maxConcurrentRuns: z.number().int(),
    updatedAt: z.iso.datetime(),
  }),
  handler: async ({ db, ctx, params }) => {
    const flow = await loadFlow(db, ctx, params.id);
    return {
      id: flow.id,
      name: flow.name,
      description: flow.description,
      active: flow.active,
      sampleInput: flow.sampleInput,
      slots: flow.slots as unknown[],
      steps: flow.steps as unknown[],
      scheduleCron: flow.scheduleCron,
      scheduleTimezone: flow.scheduleTimezone,
      nextRunAt: iso(flow.nextRunAt),
      hasWebhook: flow.webhookTokenHash !== null,
      maxConcurrentRuns: flow.maxConcurrentRuns,
      updatedAt: flow.updatedAt.toISOString(),
    };
  },
});

export const runFlowRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/flows/{id}/runs",
  operationId: "runFlow",
  summary: "Queue a run of the flow",
  description: "Answers at once with the run id; poll GET /api/v1/flow-runs/{id} for its result.",
  tag: "Flows",
  scope: "flows:run",
  params: idParams,
  body: z.object({
    input: z.record(z.string(), z.unknown()).default({}).describe("The run's input, a JSON object."),
    slotConnections: z.record(line(LIMITS.name), z.uuid()).optional().describe("Slot name → connection id; slots left out use their default."),
  }),
  response: z.object({ runId: z.uuid() }),
  status: 201,
  handler: async ({ db, ctx, params, body }) => {
    const started = await startFlowRun(db, ctx, { flowId: params.id, input: body.input, slotConnections: body.slotConnections, trigger: "api" });
    if (!started) throw new Error("The run was not queued.");
    return started;
  },
});

export const listFlowRunsRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/flows/{id}/runs",
  operationId: "listFlowRuns",
  summary: "List a flow's recent runs",
  tag: "Flows",
  scope: "flows:read",
  params: idParams,
  response: z.object({ runs: z.array(runSummarySchema) }),
  handler: async ({ db, ctx, params }) => ({
    runs: (await listFlowRuns(db, ctx, params.id)).map((r) => ({
      ...r,
      actor: toApiActor(r.actor),
      createdAt: r.createdAt.toISOString(),
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
    })),
  }),
});

export const getFlowRunRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/flow-runs/{id}",
  operationId: "getFlowRun",
  summary: "Get a run with each step's request (secrets masked) and response",
  tag: "Flows",
  scope: "flows:read",
  params: z.object({ id: z.uuid("Not a run id.") }),
  response: z.object({
    run: z.looseObject({
      id: z.uuid(),
      status: z.string(),
      cookies: z
        .array(z.looseObject({ name: z.string(), domain: z.string(), path: z.string(), value: z.string() }))
        .nullable()
        .optional()
        .describe("The run's cookie jar: what its steps' responses set (values masked like responses); null when none was set."),
    }),
    flow: z.object({ id: z.uuid(), name: z.string() }),
    steps: z.array(z.looseObject({ stepName: z.string(), status: z.string() })),
  }),
  handler: async ({ db, ctx, params }) => JSON.parse(JSON.stringify(await getFlowRun(db, ctx, params.id))),
});
