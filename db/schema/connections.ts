import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./accounts";

/**
 * A team's stored credentials for a third-party service. Everything secret (API key, password, client
 * secret, tokens) is one AES-256-GCM envelope in `credentials`; the rest is plain so it can be listed and
 * queried. `key_id` repeats the envelope's key id so a rotation can find rows still on an old key.
 */
export const connections = pgTable(
  "connections",
  {
    id: uuid("id").primaryKey(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** api_key | basic | oauth2_code | oauth2_client_credentials */
    type: text("type").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    credentials: text("credentials").notNull(),
    keyId: text("key_id").notNull(),
    /** never_verified | verified | failed | needs_reauthorization */
    status: text("status").notNull().default("never_verified"),
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
    lastVerifyOk: boolean("last_verify_ok"),
    lastVerifyMessage: text("last_verify_message"),
    grantedScopes: jsonb("granted_scopes").$type<string[]>(),
    tokenExpiresAt: timestamp("token_expires_at", { withTimezone: true }),
    /** When the current access token was received; with tokenExpiresAt it gives the lifetime (refresh-ahead rule). */
    tokenIssuedAt: timestamp("token_issued_at", { withTimezone: true }),
    /** Bumped by every write of the credentials, so a refresh whose result arrives late cannot overwrite newer ones. */
    tokenVersion: integer("token_version").notNull().default(0),
    /** The refresh lease: who is asking the provider right now, until when (a crashed holder's lease lapses). */
    refreshLeaseHolder: text("refresh_lease_holder"),
    refreshLeaseExpiresAt: timestamp("refresh_lease_expires_at", { withTimezone: true }),
    /** The last refresh failure, so callers that waited on another holder's lease get its answer instead of asking again. */
    refreshFailure: jsonb("refresh_failure").$type<{ at: string; message: string; reason: string }>(),
    /**
     * Health (lib/health): the effective check and keep-alive schedules (off | hourly | daily; null until the
     * scheduler resolves a connection saved before they existed), the next slot of each (claimed with
     * compare-and-set, one per period across instances) and the credential's expiry (the earlier of the typed
     * "Expires on" and the client certificate's own end date).
     */
    checkSchedule: text("check_schedule"),
    nextCheckAt: timestamp("next_check_at", { withTimezone: true }),
    keepAlive: text("keep_alive"),
    nextKeepAliveAt: timestamp("next_keep_alive_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    expiredStatuses: jsonb("expired_statuses").$type<number[]>().notNull().default([401]),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The name's natural order key (natural_sort_key, migration 0012), kept by Postgres: the list orders by it
     * without computing it for every row it skips (about 9 µs a row, 90 ms for page 200 of 10,000).
     */
    nameSortKey: text("name_sort_key").generatedAlwaysAs(sql`natural_sort_key(name)`),
  },
  (t) => [
    uniqueIndex("connections_team_name_idx").on(t.teamId, sql`lower(${t.name})`),
    index("connections_key_id_idx").on(t.keyId),
    // The Connections list's pages: natural name order (name_sort_key compared byte by byte) and newest first.
    index("connections_team_sort_idx").on(t.teamId, sql`(${t.nameSortKey} collate "C")`, t.id),
    index("connections_team_created_idx").on(t.teamId, t.createdAt, t.id),
    index("connections_next_check_idx").on(t.nextCheckAt),
    index("connections_next_keep_alive_idx").on(t.nextKeepAliveAt),
    index("connections_team_expires_idx").on(t.teamId, t.expiresAt),
  ],
);

/**
 * Pending authorization-code consents. Only the SHA-256 of `state` is stored; the draft (the connection's
 * settings with its client secret, and the PKCE verifier) is encrypted. A row is consumed by the callback
 * with DELETE … RETURNING, so it works once.
 */
export const oauthStates = pgTable(
  "oauth_states",
  {
    stateHash: text("state_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** The connection being edited or reauthorized; null when the consent creates one. */
    connectionId: uuid("connection_id").references(() => connections.id, { onDelete: "cascade" }),
    draft: text("draft").notNull(),
    keyId: text("key_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("oauth_states_expires_idx").on(t.expiresAt)],
);

/** What happened to a connection's tokens, newest first on its page: issued, refreshed, refresh failed, revoked. */
export const connectionTokenEvents = pgTable(
  "connection_token_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    message: text("message").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    attempts: integer("attempts"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("connection_token_events_conn_idx").on(t.connectionId, t.createdAt)],
);

/**
 * A connection's recent checks (Verify, a check on save, a direct Reauthorize), for its health strip. Kept
 * bounded: recordConnectionCheck deletes all but the newest CONNECTION_CHECKS_KEPT of each connection.
 */
export const connectionChecks = pgTable(
  "connection_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    /** verify | save | reauthorize */
    source: text("source").notNull(),
    /** ok | failed | unchecked (nothing could be checked) */
    outcome: text("outcome").notNull(),
    /** Masked, as shown to the user. */
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("connection_checks_conn_idx").on(t.connectionId, t.createdAt)],
);

/**
 * The Needs attention banner a user dismissed in a team: the problems (connection id and reason) it showed then.
 * The banner comes back when a problem not in this list appears.
 */
export const attentionDismissals = pgTable(
  "attention_dismissals",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    problemKeys: jsonb("problem_keys").$type<string[]>().notNull(),
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("attention_dismissals_user_team_idx").on(t.userId, t.teamId)],
);

export type ConnectionRow = typeof connections.$inferSelect;
export type OAuthStateRow = typeof oauthStates.$inferSelect;
export type ConnectionTokenEvent = typeof connectionTokenEvents.$inferSelect;
export type ConnectionCheckRow = typeof connectionChecks.$inferSelect;
