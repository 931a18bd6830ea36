import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { StepTiming } from "@/lib/flows/step-timing";
import type { CookieSummary } from "@/lib/http/types";
import { teams, users } from "./accounts";
import { actorColumns } from "./actor";

/**
 * Flows: ordered HTTP steps with mapping expressions, run by pg-boss workers. Steps and connection slots
 * are jsonb on the flow (they are edited and saved as one document); `connection_ids` repeats every
 * connection the definition names so "which flows use this connection" is one indexed query.
 */
export const flows = pgTable(
  "flows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The input offered by "Run now" (a JSON object). */
    sampleInput: jsonb("sample_input").$type<Record<string, unknown>>().notNull().default({}),
    slots: jsonb("slots").$type<unknown[]>().notNull().default([]),
    steps: jsonb("steps").$type<unknown[]>().notNull().default([]),
    connectionIds: text("connection_ids").array().notNull().default(sql`'{}'::text[]`),
    /** Scheduling and triggers. next_run_at is claimed with compare-and-set so one instance fires a tick. */
    active: boolean("active").notNull().default(true),
    scheduleCron: text("schedule_cron"),
    scheduleTimezone: text("schedule_timezone").notNull().default("UTC"),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    webhookTokenHash: text("webhook_token_hash"),
    webhookWaitForResult: boolean("webhook_wait_for_result").notNull().default(false),
    maxConcurrentRuns: integer("max_concurrent_runs").notNull().default(1),
    /** Queue-side retries of a run whose worker died or timed out (0: mark it failed). */
    runRetries: integer("run_retries").notNull().default(0),
    runTimeoutSeconds: integer("run_timeout_seconds").notNull().default(900),
    retentionDays: integer("retention_days").notNull().default(30),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** The name's natural order key, kept by Postgres for the Flows tab's pages (as connections.name_sort_key). */
    nameSortKey: text("name_sort_key").generatedAlwaysAs(sql`natural_sort_key(name)`),
  },
  (t) => [
    uniqueIndex("flows_team_name_idx").on(t.teamId, sql`lower(${t.name})`),
    index("flows_team_sort_idx").on(t.teamId, sql`(${t.nameSortKey} collate "C")`, t.id),
    index("flows_next_run_idx").on(t.nextRunAt),
    index("flows_connection_ids_idx").using("gin", t.connectionIds),
  ],
);

/** queued → running → succeeded | failed. */
export const flowRuns = pgTable(
  "flow_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("queued"),
    /** manual | schedule | webhook | rerun */
    trigger: text("trigger").notNull(),
    input: jsonb("input").$type<Record<string, unknown>>().notNull().default({}),
    /** slot key → connection id chosen for this run. */
    slotConnections: jsonb("slot_connections").$type<Record<string, string>>().notNull().default({}),
    ...actorColumns(),
    /** The schedule tick this run was made for: unique per flow, so two instances cannot both fire it. */
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    rerunOf: uuid("rerun_of"),
    /** Times a worker started the run (a queue retry after a dead worker starts it again). */
    attempts: integer("attempts").notNull().default(0),
    /** The pg-boss job that owns the run; a second job for the same run leaves it alone. */
    jobId: text("job_id"),
    /**
     * Set while a queued run waits for its flow's concurrency limit, with no job of its own: a finishing run
     * (or the workers' sweep) gives it a new job then, so waiting creates no job rows.
     */
    deferredAt: timestamp("deferred_at", { withTimezone: true }),
    error: text("error"),
    /**
     * The run's cookie jar as the run page lists it (values masked, at most 100 cookies): rewritten after a
     * step that changed it, kept with the run for its retention. The live jar is the worker's, in memory.
     */
    cookies: jsonb("cookies").$type<CookieSummary[]>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    index("flow_runs_flow_created_idx").on(t.flowId, t.createdAt),
    index("flow_runs_team_idx").on(t.teamId),
    index("flow_runs_status_idx").on(t.flowId, t.status),
    index("flow_runs_deferred_idx").on(t.deferredAt).where(sql`${t.deferredAt} is not null`),
    uniqueIndex("flow_runs_schedule_tick_idx").on(t.flowId, t.scheduledFor),
  ],
);

/** One row per executed step of a run: the resolved request (secrets masked) and a capped response. */
export const flowStepRuns = pgTable(
  "flow_step_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => flowRuns.id, { onDelete: "cascade" }),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    stepName: text("step_name").notNull(),
    /** succeeded | failed | skipped */
    status: text("status").notNull(),
    connectionName: text("connection_name"),
    request: jsonb("request").$type<Record<string, unknown>>(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string | string[]>>(),
    /** json | text | binary */
    responseBodyType: text("response_body_type"),
    responseBody: text("response_body"),
    responseSize: integer("response_size"),
    /** The step's JSON output when small enough: the editor suggests mapping paths from it. */
    output: jsonb("output"),
    error: text("error"),
    errorKind: text("error_kind"),
    attempts: integer("attempts"),
    durationMs: integer("duration_ms").notNull().default(0),
    /** When the step started within the run, its requests' phases, its retries and waits (the run page's timeline). */
    timing: jsonb("timing").$type<StepTiming>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("flow_step_runs_run_position_idx").on(t.runId, t.position)],
);

export type FlowRow = typeof flows.$inferSelect;
export type FlowRunRow = typeof flowRuns.$inferSelect;
export type FlowStepRunRow = typeof flowStepRuns.$inferSelect;
