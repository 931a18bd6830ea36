import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Timings } from "@/lib/http/types";
import { teams, users } from "./accounts";
import { actorColumns } from "./actor";

/**
 * One row per request run from the builder, flows or the API: the team's history. The stored spec has
 * file contents removed and connection secrets masked; the response preview is capped.
 */
export const requestRuns = pgTable(
  "request_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    ...actorColumns(),
    // No foreign key: history outlives a deleted connection; the name is kept for display.
    connectionId: uuid("connection_id"),
    connectionName: text("connection_name"),
    method: text("method").notNull(),
    url: text("url").notNull(),
    spec: jsonb("spec").$type<Record<string, unknown>>().notNull(),
    ok: boolean("ok").notNull(),
    status: integer("status"),
    errorKind: text("error_kind"),
    errorMessage: text("error_message"),
    durationMs: integer("duration_ms").notNull(),
    /** Each request's phases (DNS, connect, TLS, first byte, download) and the waits between retries. */
    timing: jsonb("timing").$type<Timings>(),
    responseSize: integer("response_size"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string | string[]>>(),
    responsePreview: text("response_preview"),
    /** Size of the binary body streamed to data/downloads under the run's id; null when there is no file. */
    downloadBytes: bigint("download_bytes", { mode: "number" }),
    /** When retention removed that file (the row stays until its own retention): the download answers 410. */
    downloadRemovedAt: timestamp("download_removed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("request_runs_team_created_idx").on(t.teamId, t.createdAt)],
);

/** Named requests a team keeps, for re-use and as flow steps. */
export const savedRequests = pgTable(
  "saved_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    connectionId: uuid("connection_id"),
    spec: jsonb("spec").$type<Record<string, unknown>>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // By connection: the Connections list counts each row's saved requests (lib/connections/list-connections.ts).
  (t) => [uniqueIndex("saved_requests_team_name_idx").on(t.teamId, t.name), index("saved_requests_connection_idx").on(t.connectionId)],
);

export type RequestRun = typeof requestRuns.$inferSelect;
export type SavedRequest = typeof savedRequests.$inferSelect;
