import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./accounts";
import { connections } from "./connections";

/**
 * Where a team's alerts go (lib/alerts). A team endpoint (userId null) is chosen by an admin: an email
 * address or a webhook URL. A personal one (userId set, channel email) is a member's own "email me",
 * sent to their account's address. `events` lists the alert kinds it receives.
 */
export const alertEndpoints = pgTable(
  "alert_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** email | webhook (lib/alerts/channels) */
    channel: text("channel").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** An email address or a webhook URL; null for a personal subscription (the user's own address). */
    target: text("target"),
    description: text("description").notNull().default(""),
    /** A webhook's signing secret, encrypted (lib/crypto envelope bound to the endpoint). */
    secret: text("secret"),
    keyId: text("key_id"),
    /** The secret before the last rotation, still signing beside the new one until previousSecretExpiresAt. */
    previousSecret: text("previous_secret"),
    previousKeyId: text("previous_key_id"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    /** A disabled endpoint receives no new alert (a test event still goes). */
    enabled: boolean("enabled").notNull().default(true),
    events: jsonb("events").$type<string[]>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("alert_endpoints_team_idx").on(t.teamId),
    uniqueIndex("alert_endpoints_personal_idx").on(t.teamId, t.userId, t.channel).where(sql`${t.userId} is not null`),
  ],
);

/** Every alert raised, with what it says (no secret). */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_events_team_created_idx").on(t.teamId, t.createdAt)],
);

/** One alert to one endpoint: pending → delivered | failed, with the last attempt's outcome. */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alertEvents.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => alertEndpoints.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("alert_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    // The every-minute look for stranded deliveries reads only the pending ones (lib/alerts/maintenance.ts).
    index("alert_deliveries_pending_idx").on(t.updatedAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** The status a connection's last alert was about, and when people were last told (the daily reminder). */
export const connectionAlertStates = pgTable("connection_alert_states", {
  connectionId: uuid("connection_id")
    .primaryKey()
    .references(() => connections.id, { onDelete: "cascade" }),
  teamId: uuid("team_id")
    .notNull()
    .references(() => teams.id, { onDelete: "cascade" }),
  status: text("status").notNull(),
  notifiedAt: timestamp("notified_at", { withTimezone: true }).notNull(),
});

/** Alerts that are sent once (an expiry threshold, a flow's failure streak): the key's row is the "sent" mark. */
export const alertOnceKeys = pgTable(
  "alert_once_keys",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.key] })],
);

/** A team's alert settings; a team without a row has the defaults. */
export const teamAlertSettings = pgTable("team_alert_settings", {
  teamId: uuid("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  /** Failed runs in a row of one flow that raise an alert. */
  flowFailureStreak: integer("flow_failure_streak").notNull().default(3),
});

export type AlertEndpointRow = typeof alertEndpoints.$inferSelect;
export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;
