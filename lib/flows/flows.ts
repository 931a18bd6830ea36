import "server-only";
import { and, arrayContains, asc, count, desc, eq, ilike, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { flowRuns, flows, type FlowRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { findTeamConnectionIds } from "@/lib/connections/team-connection-ids";
import { randomToken, sha256Hex } from "@/lib/crypto/tokens";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { nextRunAfter } from "./cron";
import { teamVariableNames } from "@/lib/variables";
import {
  parseConnectionRef,
  parseInputText,
  stepMappingIssues,
  type FlowDefinition,
  type FlowDefinitionInput,
  type FlowSlot,
  type FlowStep,
} from "./model";
import { describeActor, type Actor } from "@/lib/auth/actor";
import { containsPattern, cutPage, type ListPage, naturalOrder } from "@/lib/storage/list-sql";
import { FLOWS_PAGE_SIZE, type FlowListQuery } from "./list-query";

/** Create, edit, delete and list a team's flows. Every query is filtered by ctx.team.id. */

const FLOW = "That flow";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A context for work no member started (a schedule, a webhook, a run whose starter left the team). Its
 * `actor` is no account: services record `principal`, never `actor.id`, for such a context.
 */
export function systemContext(
  team: { id: string; name: string },
  principal: Extract<Actor, { kind: "schedule" | "webhook" | "system" }>,
): TeamContext {
  const name = describeActor(principal);
  return { actor: { id: "", email: name, name }, principal, team, role: "member", ip: null };
}

export async function loadFlow(db: Executor, ctx: TeamContext, flowId: string): Promise<FlowRow> {
  requireRole(ctx, "member");
  if (!UUID.test(flowId)) throw new NotFoundError(FLOW);
  const [row] = await db
    .select()
    .from(flows)
    .where(and(eq(flows.id, flowId), eq(flows.teamId, ctx.team.id)));
  if (!row) throw new NotFoundError(FLOW);
  return row;
}

export function flowSteps(row: FlowRow): FlowStep[] {
  return row.steps as FlowStep[];
}

export function flowSlots(row: FlowRow): FlowSlot[] {
  return row.slots as FlowSlot[];
}

/** The editor's form values for a stored flow. */
export function toFormValues(row: FlowRow): FlowDefinitionInput {
  return {
    name: row.name,
    description: row.description,
    sampleInput: JSON.stringify(row.sampleInput, null, 2),
    slots: flowSlots(row),
    steps: flowSteps(row),
    active: row.active,
    scheduleEnabled: row.scheduleCron !== null,
    scheduleCron: row.scheduleCron ?? "",
    scheduleTimezone: row.scheduleTimezone,
    webhookWaitForResult: row.webhookWaitForResult,
    maxConcurrentRuns: row.maxConcurrentRuns,
    runRetries: row.runRetries,
    runTimeoutSeconds: row.runTimeoutSeconds,
    retentionDays: row.retentionDays,
  };
}

export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  active: boolean;
  steps: number;
  scheduleCron: string | null;
  scheduleTimezone: string;
  nextRunAt: Date | null;
  hasWebhook: boolean;
  lastRun: { id: string; status: string; createdAt: Date } | null;
}

/** Every flow of the team, in name order (the REST API and the MCP page; the Flows tab pages with listFlowPage). */
export async function listFlows(db: Database, ctx: TeamContext): Promise<FlowSummary[]> {
  requireRole(ctx, "member");
  const rows = await db
    .select(summaryColumns)
    .from(flows)
    .where(eq(flows.teamId, ctx.team.id))
    .orderBy(asc(sql`lower(${flows.name})`));
  return summarizeFlows(db, ctx, rows);
}

export type FlowPage = ListPage<FlowSummary>;

/**
 * One page of the team's flows for the Flows tab, in natural name order ("sync 2" before "sync 10"), with
 * the names containing `q`: the database counts, orders and cuts the page, and only that page's last runs
 * are looked up, so the page stays the same size whatever the team holds.
 */
export async function listFlowPage(db: Database, ctx: TeamContext, query: FlowListQuery): Promise<FlowPage> {
  requireRole(ctx, "member");
  const q = query.q.trim();
  const where = and(eq(flows.teamId, ctx.team.id), q ? ilike(flows.name, containsPattern(q)) : undefined);
  const { rows, ...counts } = await cutPage(query.page, FLOWS_PAGE_SIZE, {
    count: async () => (await db.select({ total: count() }).from(flows).where(where))[0].total,
    rows: (page) =>
      db
        .select(summaryColumns)
        .from(flows)
        .where(where)
        .orderBy(asc(naturalOrder(flows.nameSortKey)), asc(flows.id))
        .limit(FLOWS_PAGE_SIZE)
        .offset((page - 1) * FLOWS_PAGE_SIZE),
  });
  return { items: await summarizeFlows(db, ctx, rows), ...counts };
}

/** What a flow list shows of a row: no step definitions, only their number. */
const summaryColumns = {
  id: flows.id,
  name: flows.name,
  description: flows.description,
  active: flows.active,
  steps: sql<number>`jsonb_array_length(${flows.steps})`.mapWith(Number),
  scheduleCron: flows.scheduleCron,
  scheduleTimezone: flows.scheduleTimezone,
  nextRunAt: flows.nextRunAt,
  hasWebhook: sql<boolean>`${flows.webhookTokenHash} is not null`.mapWith(Boolean),
};

type FlowSummaryRow = Omit<FlowSummary, "lastRun">;

/** The rows with each flow's last run (one query for all of them). */
async function summarizeFlows(db: Database, ctx: TeamContext, rows: FlowSummaryRow[]): Promise<FlowSummary[]> {
  if (!rows.length) return [];
  const last = await db
    .selectDistinctOn([flowRuns.flowId], { flowId: flowRuns.flowId, id: flowRuns.id, status: flowRuns.status, createdAt: flowRuns.createdAt })
    .from(flowRuns)
    .where(
      and(
        eq(flowRuns.teamId, ctx.team.id),
        inArray(
          flowRuns.flowId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(flowRuns.flowId, desc(flowRuns.createdAt));
  const lastByFlow = new Map(last.map((r) => [r.flowId, r]));
  return rows.map((r) => ({ ...r, lastRun: lastByFlow.get(r.id) ?? null }));
}

/** Flows whose steps or slot defaults name the connection (Connections tab, delete confirmation). */
export async function listFlowsUsingConnection(db: Executor, ctx: TeamContext, connectionId: string): Promise<Array<{ id: string; name: string }>> {
  requireRole(ctx, "member");
  return db
    .select({ id: flows.id, name: flows.name })
    .from(flows)
    .where(and(eq(flows.teamId, ctx.team.id), arrayContains(flows.connectionIds, [connectionId.toLowerCase()])))
    .orderBy(asc(sql`lower(${flows.name})`));
}

/** Stored columns for a definition, after checking that every named connection is the team's. */
/** {{vars.NAME}} must name one of the team's variables when the flow is saved (the schema checks only its form). */
async function checkStepVariables(db: Executor, ctx: TeamContext, def: FlowDefinition) {
  if (!JSON.stringify(def.steps).includes("vars.")) return;
  const issues = stepMappingIssues(def.steps, await teamVariableNames(db, ctx.team.id));
  if (!issues.length) return;
  const fieldErrors: Record<string, string> = {};
  for (const { path, message } of issues) fieldErrors[path.join(".")] ??= message;
  throw new ServiceError(issues[0].message, "invalid", fieldErrors);
}

async function toColumns(db: Executor, ctx: TeamContext, def: FlowDefinition, now: Date) {
  const ids = new Set<string>();
  for (const slot of def.slots) if (slot.defaultConnectionId) ids.add(slot.defaultConnectionId.toLowerCase());
  def.steps.forEach((s) => {
    const ref = parseConnectionRef(s.connection);
    if (ref?.type === "connection") ids.add(ref.connectionId);
  });
  if (ids.size) {
    const known = await findTeamConnectionIds(db, ctx, ids);
    const fieldErrors: Record<string, string> = {};
    def.steps.forEach((s, i) => {
      const ref = parseConnectionRef(s.connection);
      if (ref?.type === "connection" && !known.has(ref.connectionId)) fieldErrors[`steps.${i}.connection`] = "That connection no longer exists.";
    });
    def.slots.forEach((s, i) => {
      if (s.defaultConnectionId && !known.has(s.defaultConnectionId.toLowerCase()))
        fieldErrors[`slots.${i}.defaultConnectionId`] = "That connection no longer exists.";
    });
    if (Object.keys(fieldErrors).length) throw new ServiceError("Some connections no longer exist.", "invalid", fieldErrors);
  }
  await checkStepVariables(db, ctx, def);
  const input = parseInputText(def.sampleInput);
  const scheduleCron = def.scheduleEnabled ? def.scheduleCron : null;
  return {
    name: def.name,
    description: def.description,
    sampleInput: input.ok ? input.value : {},
    slots: def.slots,
    steps: def.steps,
    connectionIds: [...ids],
    active: def.active,
    scheduleCron,
    scheduleTimezone: def.scheduleTimezone || "UTC",
    nextRunAt: scheduleCron && def.active ? nextRunAfter(scheduleCron, def.scheduleTimezone || "UTC", now) : null,
    webhookWaitForResult: def.webhookWaitForResult,
    maxConcurrentRuns: def.maxConcurrentRuns,
    runRetries: def.runRetries,
    runTimeoutSeconds: def.runTimeoutSeconds,
    retentionDays: def.retentionDays,
    updatedAt: now,
  };
}

export async function createFlow(db: Executor, ctx: TeamContext, def: FlowDefinition): Promise<{ id: string }> {
  requireRole(ctx, "member");
  const now = new Date();
  const columns = await toColumns(db, ctx, def, now);
  return uniqueName(def.name, () =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .insert(flows)
        .values({ ...columns, teamId: ctx.team.id, createdBy: ctx.actor.id })
        .returning({ id: flows.id });
      await audit(tx, ctx, "flow.created", row.id, { name: def.name, steps: def.steps.length });
      return row;
    }),
  );
}

export async function updateFlow(db: Executor, ctx: TeamContext, flowId: string, def: FlowDefinition): Promise<{ id: string }> {
  const existing = await loadFlow(db, ctx, flowId);
  const now = new Date();
  const columns = await toColumns(db, ctx, def, now);
  // Keep the pending tick when the schedule did not change, so saving does not skip or repeat a run.
  const sameSchedule =
    existing.scheduleCron === columns.scheduleCron && existing.scheduleTimezone === columns.scheduleTimezone && existing.active === columns.active;
  if (sameSchedule && existing.nextRunAt) columns.nextRunAt = existing.nextRunAt;
  return uniqueName(def.name, () =>
    db.transaction(async (tx) => {
      await tx
        .update(flows)
        .set(columns)
        .where(and(eq(flows.id, flowId), eq(flows.teamId, ctx.team.id)));
      await audit(tx, ctx, "flow.updated", flowId, { name: def.name, steps: def.steps.length });
      return { id: flowId };
    }),
  );
}

export async function deleteFlow(db: Executor, ctx: TeamContext, flowId: string): Promise<void> {
  requireRole(ctx, "member");
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(flows)
      .where(and(eq(flows.id, flowId), eq(flows.teamId, ctx.team.id)))
      .returning({ name: flows.name });
    if (!gone) throw new NotFoundError(FLOW);
    await audit(tx, ctx, "flow.deleted", flowId, { name: gone.name });
  });
}

/** A new webhook secret for the flow; only its hash is stored, so the URL is shown once. */
export async function createWebhookToken(db: Executor, ctx: TeamContext, flowId: string): Promise<{ token: string }> {
  await loadFlow(db, ctx, flowId);
  const token = `pbwh_${randomToken(32)}`;
  await db.transaction(async (tx) => {
    await tx
      .update(flows)
      .set({ webhookTokenHash: sha256Hex(token) })
      .where(and(eq(flows.id, flowId), eq(flows.teamId, ctx.team.id)));
    await audit(tx, ctx, "flow.webhook_created", flowId, {});
  });
  return { token };
}

export async function removeWebhook(db: Executor, ctx: TeamContext, flowId: string): Promise<void> {
  await loadFlow(db, ctx, flowId);
  await db.transaction(async (tx) => {
    await tx
      .update(flows)
      .set({ webhookTokenHash: null })
      .where(and(eq(flows.id, flowId), eq(flows.teamId, ctx.team.id)));
    await audit(tx, ctx, "flow.webhook_removed", flowId, {});
  });
}

export function audit(db: Executor, ctx: TeamContext, action: string, flowId: string, metadata: Record<string, unknown>) {
  return recordAudit(db, { teamId: ctx.team.id, actor: ctx.principal, action, target: { type: "flow", id: flowId }, metadata, ip: ctx.ip });
}

async function uniqueName<T>(name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ServiceError(`A flow named “${name}” already exists.`, "conflict", { name: "Choose another name." });
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}
