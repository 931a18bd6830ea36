import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams } from "./accounts";
import { actorColumns } from "./actor";

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Null for events with no team yet (a failed sign-in).
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    ...actorColumns(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_team_created_idx").on(t.teamId, t.createdAt), index("audit_action_idx").on(t.action)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
