import { sql } from "drizzle-orm";
import { boolean, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./accounts";

/**
 * A team's variables, used as `{{vars.NAME}}` in the fields of requests and flow steps. A plain value is
 * kept in `value`; a secret one is an AES-256-GCM envelope in `secret_value` bound to the row (like a
 * connection's credentials), with `key_id` repeating the envelope's key id for rotation. Exactly one of the
 * two is set.
 */
export const teamVariables = pgTable(
  "team_variables",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secret: boolean("secret").notNull().default(false),
    value: text("value"),
    secretValue: text("secret_value"),
    keyId: text("key_id"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("team_variables_team_name_idx").on(t.teamId, sql`lower(${t.name})`)],
);

export type TeamVariableRow = typeof teamVariables.$inferSelect;
