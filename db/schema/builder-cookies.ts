import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./accounts";

/**
 * The request builder's cookie jars: one per user, team and builder session (a browser tab's id), so the
 * builder's runs, which may land on different app processes, share the cookies a response set. The jar is
 * tough-cookie's serialization sealed as an AES-256-GCM envelope bound to the row's key (team, user, session),
 * `key_id` repeating the envelope's key id. A jar unused for lib/requests/builder-cookies.ts's idle time is
 * gone (swept by the hourly maintenance job).
 */
export const builderCookieJars = pgTable(
  "builder_cookie_jars",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").notNull(),
    jar: text("jar").notNull(),
    keyId: text("key_id").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId, t.sessionId] }), index("builder_cookie_jars_used_idx").on(t.usedAt)],
);

export type BuilderCookieJarRow = typeof builderCookieJars.$inferSelect;
