import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { JWK } from "jose";
import { teamRole, teams, users } from "./accounts";

/**
 * Plugboard as an OAuth 2.0 server. Client secrets, codes and tokens are random values of 256 bits of
 * which only the SHA-256 is stored. A client-credentials client acts through its own service user (no
 * membership; the role comes from the client row), so audit rows and `created_by` columns keep a real
 * user id.
 */
export const oauthClients = pgTable(
  "oauth_clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** The public `client_id`. */
    clientId: text("client_id").notNull(),
    name: text("name").notNull(),
    /** customer | system: system clients are created by Plugboard itself and cannot be edited here. */
    configuredBy: text("configured_by").notNull().default("customer"),
    /** For a system client, what Plugboard made it for (lib/oauth-server/system-clients.ts): personal_access_token | api_docs. */
    systemKind: text("system_kind"),
    /** A personal access token's single owner: its tokens act as this user, with their current role in the team. */
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "cascade" }),
    /** client_credentials | authorization_code */
    grantType: text("grant_type").notNull(),
    /** client_secret_basic | client_secret_post | private_key_jwt */
    authMethod: text("auth_method").notNull(),
    /** private_key_jwt (RFC 7523 §2.2): the client's public keys, inline (a JWK Set) or at jwks_uri; one of them. */
    jwks: jsonb("jwks").$type<{ keys: JWK[] }>(),
    jwksUri: text("jwks_uri"),
    redirectUris: jsonb("redirect_uris").$type<string[]>().notNull().default([]),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    /** For client credentials: the role of the service member. Scopes narrow it, never widen it. */
    role: teamRole("role").notNull().default("member"),
    serviceUserId: uuid("service_user_id").references(() => users.id, { onDelete: "set null" }),
    /** opaque (a random pbat_ value) | jwt (RFC 9068, signed with oauth_signing_keys) */
    accessTokenFormat: text("access_token_format").notNull().default("opaque"),
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Lifetime of each new secret in days; null takes the instance default (PLUGBOARD_OAUTH_SECRET_DAYS). */
    secretLifetimeDays: integer("secret_lifetime_days"),
    /** Token lifetimes in seconds; null takes the instance defaults (PLUGBOARD_OAUTH_ACCESS_TOKEN_TTL / _REFRESH_TOKEN_TTL). */
    accessTokenTtlSeconds: integer("access_token_ttl_seconds"),
    refreshTokenTtlSeconds: integer("refresh_token_ttl_seconds"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    /** manual (created on the Applications page) | dynamic (RFC 7591 registration, bound to the team of its first approval) */
    registration: text("registration").notNull().default("manual"),
    /**
     * Who approved a dynamic registration, and when; approved_at null: it waits for an admin's approval and
     * gets no code or token (teams.registrations_need_approval). Created clients are approved at once.
     */
    approvedBy: uuid("approved_by").references(() => users.id, { onDelete: "set null" }),
    approvedAt: timestamp("approved_at", { withTimezone: true }).defaultNow(),
  },
  (t) => [
    uniqueIndex("oauth_clients_client_id_idx").on(t.clientId),
    index("oauth_clients_team_idx").on(t.teamId),
    // One API-docs client per team, so two first "try it" clicks at once cannot make two.
    uniqueIndex("oauth_clients_api_docs_idx").on(t.teamId).where(sql`system_kind = 'api_docs'`),
  ],
);

/**
 * A client's secrets (SHA-256 only). Several may be active at once so an integration can switch to a new
 * one before the old one is revoked; a revoked or expired secret is kept for the list and the audit.
 */
export const oauthClientSecrets = pgTable(
  "oauth_client_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("oauth_client_secrets_hash_idx").on(t.secretHash), index("oauth_client_secrets_client_idx").on(t.clientId)],
);

/** What a user agreed to let a client do, shown and revocable in their profile. */
export const oauthConsents = pgTable(
  "oauth_consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("oauth_consents_client_user_idx").on(t.clientId, t.userId), index("oauth_consents_user_idx").on(t.userId)],
);

/**
 * One authorization: an authorization code and every token issued from it (refresh rotations included).
 * Revoking the grant revokes them all, which is how code replay and refresh-token reuse are answered.
 */
export const oauthGrants = pgTable(
  "oauth_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    /** RFC 8707 resource indicator the grant is bound to; null: the REST API (/api/v1). */
    resource: text("resource"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("oauth_grants_client_user_idx").on(t.clientId, t.userId)],
);

/** Authorization codes. Kept after use (consumed_at) so a replay can be recognised and answered. */
export const oauthCodes = pgTable("oauth_codes", {
  codeHash: text("code_hash").primaryKey(),
  grantId: uuid("grant_id")
    .notNull()
    .references(() => oauthGrants.id, { onDelete: "cascade" }),
  clientId: uuid("client_id")
    .notNull()
    .references(() => oauthClients.id, { onDelete: "cascade" }),
  redirectUri: text("redirect_uri").notNull(),
  /** Whether redirect_uri was in the authorization request, which makes it required at the token endpoint. */
  redirectUriSent: boolean("redirect_uri_sent").notNull(),
  codeChallenge: text("code_challenge").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  consumedAt: timestamp("consumed_at", { withTimezone: true }),
});

export const oauthTokens = pgTable(
  "oauth_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    /** access | refresh */
    kind: text("kind").notNull(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** Null for client credentials: the client's service user acts. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    grantId: uuid("grant_id").references(() => oauthGrants.id, { onDelete: "cascade" }),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    /** The token's audience (RFC 8707): null for the REST API, else the resource it was issued for (/mcp). */
    resource: text("resource"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Refresh tokens: set when exchanged; presenting it again is reuse. */
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** For a JWT access token: its jti and the kid of the key that signed it (kept published until it expires). */
    jti: text("jti"),
    signingKid: text("signing_kid"),
  },
  (t) => [
    uniqueIndex("oauth_tokens_hash_idx").on(t.tokenHash),
    // Partial: a client_credentials token has no grant and an opaque one no signing key, so issuing those
    // (the busiest insert) maintains neither index; lookups by a value still use them.
    index("oauth_tokens_grant_idx").on(t.grantId).where(sql`${t.grantId} is not null`),
    index("oauth_tokens_client_user_idx").on(t.clientId, t.userId),
    index("oauth_tokens_signing_kid_idx").on(t.signingKid).where(sql`${t.signingKid} is not null`),
  ],
);

/**
 * Keys that sign JWT access tokens. The private JWK is encrypted like connection secrets (key_id says
 * with which encryption key); a retired key is published until the last token it signed expires.
 */
export const oauthSigningKeys = pgTable(
  "oauth_signing_keys",
  {
    kid: text("kid").primaryKey(),
    alg: text("alg").notNull(),
    publicJwk: jsonb("public_jwk").$type<JWK>().notNull(),
    privateKey: text("private_key").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("oauth_signing_keys_one_active_idx").on(t.alg).where(sql`retired_at is null`)],
);

export type OAuthSigningKeyRow = typeof oauthSigningKeys.$inferSelect;
/**
 * The jti of each private_key_jwt client assertion accepted, kept until the assertion expires so a replay
 * is refused by every process (RFC 7523 §3 item 7); expired rows are swept as new assertions arrive.
 */
export const oauthClientAssertionJtis = pgTable(
  "oauth_client_assertion_jtis",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    jti: text("jti").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("oauth_client_assertion_jtis_client_jti_idx").on(t.clientId, t.jti),
    index("oauth_client_assertion_jtis_expires_idx").on(t.expiresAt),
  ],
);

export type OAuthClientRow = typeof oauthClients.$inferSelect;
export type OAuthClientSecretRow = typeof oauthClientSecrets.$inferSelect;
export type OAuthConsentRow = typeof oauthConsents.$inferSelect;
export type OAuthGrantRow = typeof oauthGrants.$inferSelect;
export type OAuthTokenRow = typeof oauthTokens.$inferSelect;

/**
 * RFC 7591 dynamic registrations not yet bound to a team. An open registration names no team, so the
 * client becomes an oauth_clients row of the team of the first user who approves it on the consent
 * screen; until then only this row (and the SHA-256 of its secret) exists, and it expires.
 */
export const oauthClientRegistrations = pgTable(
  "oauth_client_registrations",
  {
    clientId: text("client_id").primaryKey(),
    name: text("name").notNull(),
    redirectUris: jsonb("redirect_uris").$type<string[]>().notNull(),
    /** client_secret_basic | client_secret_post | private_key_jwt */
    authMethod: text("auth_method").notNull(),
    /** Null for private_key_jwt, which is issued no secret (RFC 7591 §3.2.1). */
    secretHash: text("secret_hash"),
    /** private_key_jwt: the registered jwks or jwks_uri (RFC 7591 §2), one of them. */
    jwks: jsonb("jwks").$type<{ keys: JWK[] }>(),
    jwksUri: text("jwks_uri"),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("oauth_client_registrations_expires_idx").on(t.expiresAt)],
);

export type OAuthClientRegistrationRow = typeof oauthClientRegistrations.$inferSelect;
