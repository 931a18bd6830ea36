import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/** A user's account at an OpenID Connect provider: the provider's `sub` is the identity, never the email. */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    providerId: text("provider_id").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.subject] }), index("sso_identities_user_idx").on(t.userId)],
);

/**
 * An SSO sign-in whose email matches a local account: linked only when the same browser (a cookie holding
 * the token, stored here as its SHA-256) then signs in with that account's password.
 */
export const ssoPendingLinks = pgTable("sso_pending_links", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  providerId: text("provider_id").notNull(),
  subject: text("subject").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

/**
 * An OpenID Connect provider added on the admin page (those from PLUGBOARD_OIDC_PROVIDERS are not stored).
 * `settings` holds the non-secret fields as lib/sso/config.ts parses them; the client secret is an AES-256-GCM
 * envelope bound to the provider id, `key_id` repeating its key id for rotation.
 */
export const ssoProviderConfigs = pgTable("sso_providers", {
  id: text("id").primaryKey(),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
  clientSecret: text("client_secret").notNull(),
  keyId: text("key_id").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Instance-wide sign-in settings: one row (id true) at most; no row means the defaults. */
export const instanceSignInSettings = pgTable("instance_sign_in_settings", {
  id: boolean("id").primaryKey().default(true),
  /** Password sign-in refused to everyone but the break-glass account. */
  ssoOnly: boolean("sso_only").notNull().default(false),
  breakGlassUserId: uuid("break_glass_user_id").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type SsoIdentity = typeof ssoIdentities.$inferSelect;
export type SsoProviderRow = typeof ssoProviderConfigs.$inferSelect;
