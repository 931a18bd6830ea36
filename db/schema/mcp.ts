import { check, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { teams, users } from "./accounts";
import { flows } from "./flows";
import { savedRequests } from "./requests";

/**
 * A saved request or a flow offered to AI agents as an MCP tool at /mcp. Exactly one of saved_request_id
 * and flow_id is set; deleting what the tool wraps deletes the tool.
 */
export const mcpTools = pgTable(
  "mcp_tools",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** The MCP tool name (unique in the team): letters, digits, _ and -. */
    name: text("name").notNull(),
    /** Written for a model: what the tool does and when to use it. */
    description: text("description").notNull(),
    /** Written for people: what the consent screen says the tool does when an agent asks to call it. */
    consentText: text("consent_text").notNull().default(""),
    /** A JSON Schema (type object) the call's arguments are validated against. */
    inputSchema: jsonb("input_schema").$type<Record<string, unknown>>().notNull(),
    savedRequestId: uuid("saved_request_id").references(() => savedRequests.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").references(() => flows.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Also serves the team's list (team_id leads).
    uniqueIndex("mcp_tools_team_name_idx").on(t.teamId, t.name),
    check("mcp_tools_one_target", sql`(${t.savedRequestId} is null) <> (${t.flowId} is null)`),
  ],
);

export type McpToolRow = typeof mcpTools.$inferSelect;
