import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
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

export type SsoIdentity = typeof ssoIdentities.$inferSelect;
