import { z } from "zod";
import { checkClientKeys, MAX_CLIENT_KEYS } from "@/lib/oauth-server/client-keys-schema";
import { line, LIMITS, text } from "@/lib/validation/fields";

/**
 * A team bundle: what `Export` writes and `Import` reads, moving a team's setup between instances. This
 * zod schema is the format's definition; its JSON Schema (`bundleJsonSchema`) is published beside the
 * OpenAPI document. Ids in a bundle are the exporting instance's: references inside the bundle (a flow
 * step's `connection:<id>`, a saved request's `connectionId`) use them, and import assigns new ones.
 * Client-safe: no Node imports.
 */

export const BUNDLE_FORMAT = "plugboard-team-bundle";
/** The version this code writes. Older versions are brought up to it by upgradeBundle (upgrade.ts). */
export const BUNDLE_VERSION = 1;

const base64 = z.base64("Expected base64.").max(4 * LIMITS.pem);
const id = z.uuid("Expected a uuid.");

/** One AES-256-GCM ciphertext: 12-byte IV, 16-byte tag, the data; the associated data is described in crypto.ts. */
export const sealedSchema = z.object({ iv: base64, tag: base64, data: base64 });
export type Sealed = z.infer<typeof sealedSchema>;

/** scrypt's cost parameters, bounded so a crafted bundle cannot make import spend unbounded memory or time. */
export const kdfSchema = z.object({
  name: z.literal("scrypt"),
  salt: z.base64().min(16).max(128),
  N: z
    .number()
    .int()
    .min(2 ** 14)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, "N must be a power of two."),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  keyLength: z.literal(32),
});
export type KdfParams = z.infer<typeof kdfSchema>;

export const secretsHeaderSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("none").describe("No secrets: connections are stubs, imported as “needs credentials”.") }),
  z.object({
    mode: z.literal("passphrase"),
    kdf: kdfSchema,
    cipher: z.literal("aes-256-gcm"),
    /** A known value sealed under the key: a wrong passphrase is told apart from a changed secret. */
    check: sealedSchema,
  }),
]);
export type SecretsHeader = z.infer<typeof secretsHeaderSchema>;

export const bundleConnectionSchema = z.object({
  id,
  name: line(LIMITS.name).min(1),
  type: line(LIMITS.short).min(1),
  /** Every non-secret setting, as the connection form has it. */
  config: z.record(z.string(), z.unknown()),
  expiredStatuses: z.array(z.number().int().min(100).max(599)).max(20).default([401]),
  /** The credential's expiry ("Expires on", or the client certificate's end). */
  expiresAt: z.iso.datetime().nullable().default(null),
  /** The held token's lifetime and grant (imported with the sealed token only). */
  tokenExpiresAt: z.iso.datetime().nullable().default(null),
  tokenIssuedAt: z.iso.datetime().nullable().default(null),
  grantedScopes: z.array(line(LIMITS.short)).max(200).nullable().default(null),
  /** The secret fields and tokens, sealed; absent in a bundle without secrets. */
  secrets: sealedSchema.optional(),
});

export const bundleSavedRequestSchema = z.object({
  id,
  name: line(LIMITS.name).min(1),
  connectionId: id.nullable(),
  spec: z.record(z.string(), z.unknown()),
});

export const bundleFlowSchema = z.object({
  id,
  name: line(LIMITS.name).min(1),
  description: text(2000).default(""),
  sampleInput: z.record(z.string(), z.unknown()).default({}),
  /** As the flow editor stores them: `defaultConnectionId` is a bundle connection id or null. */
  slots: z.array(z.object({ name: line(80), defaultConnectionId: id.nullable() })).default([]),
  /** As the flow editor stores them: `connection` is "", "connection:<bundle id>" or "slot:<name>". */
  steps: z.array(z.record(z.string(), z.unknown())).min(1),
  /** Whether it was active where it was exported; import makes it inactive unless asked otherwise. */
  active: z.boolean(),
  scheduleCron: line(LIMITS.short).nullable(),
  scheduleTimezone: line(LIMITS.short).default("UTC"),
  /** A webhook's secret is never exported: the flow gets a new webhook URL on the new instance. */
  hadWebhook: z.boolean().default(false),
  webhookWaitForResult: z.boolean().default(false),
  maxConcurrentRuns: z.number().int().min(1).max(50).default(1),
  runRetries: z.number().int().min(0).max(5).default(0),
  runTimeoutSeconds: z.number().int().min(5).max(86_400).default(900),
  retentionDays: z.number().int().min(1).max(3650).default(30),
});

/** An Application (OAuth client of this Plugboard), without its secrets: import registers it with none. */
export const bundleApplicationSchema = z
  .object({
    id,
    name: line(80).min(1),
    grantType: z.enum(["client_credentials", "authorization_code"]),
    authMethod: z.enum(["client_secret_basic", "client_secret_post", "private_key_jwt"]),
    /** private_key_jwt: the application's public keys (not secret), as a JWK Set or the URL it is published at. */
    jwks: z
      .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_CLIENT_KEYS) })
      .nullable()
      .default(null),
    jwksUri: line(LIMITS.url).nullable().default(null),
    redirectUris: z.array(line(LIMITS.url)).max(50).default([]),
    scopes: z.array(line(100)).max(50),
    role: z.enum(["member", "admin"]),
    accessTokenFormat: z.enum(["opaque", "jwt"]).default("opaque"),
    secretLifetimeDays: z.number().int().positive().nullable().default(null),
    accessTokenTtlSeconds: z.number().int().positive().nullable().default(null),
    refreshTokenTtlSeconds: z.number().int().positive().nullable().default(null),
  })
  .superRefine((app, issue) => checkClientKeys(bundleClientKeys(app), issue));

/** An application's key fields as the Applications form holds them (the JWK Set as JSON text). */
export function bundleClientKeys(app: { authMethod: string; jwks: unknown; jwksUri: string | null }) {
  return { authMethod: app.authMethod, jwks: app.jwks ? JSON.stringify(app.jwks) : "", jwksUri: app.jwksUri ?? "" };
}

/**
 * Team variables (issue 18): reserved in v1 so a bundle carrying them stays a v1 bundle. A non-secret
 * variable has `value`; a secret one has `secret` sealed like connection secrets at the place `variable:<id>`
 * (absent without secrets). Not written or read by this version yet: the variables feature wires it in.
 */
export const bundleVariableSchema = z.object({
  id,
  name: line(LIMITS.name).min(1),
  isSecret: z.boolean(),
  value: text(LIMITS.long).optional(),
  secret: sealedSchema.optional(),
});

const MAX_ITEMS = 2000;

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exportedAt: z.iso.datetime(),
  /** The exporting team's name, for the preview. */
  team: line(LIMITS.name),
  secrets: secretsHeaderSchema,
  connections: z.array(bundleConnectionSchema).max(MAX_ITEMS),
  savedRequests: z.array(bundleSavedRequestSchema).max(MAX_ITEMS),
  flows: z.array(bundleFlowSchema).max(MAX_ITEMS),
  applications: z.array(bundleApplicationSchema).max(MAX_ITEMS),
  variables: z.array(bundleVariableSchema).max(MAX_ITEMS).optional(),
});

export type Bundle = z.infer<typeof bundleSchema>;
export type BundleConnection = z.infer<typeof bundleConnectionSchema>;
export type BundleSavedRequest = z.infer<typeof bundleSavedRequestSchema>;
export type BundleFlow = z.infer<typeof bundleFlowSchema>;
export type BundleApplication = z.infer<typeof bundleApplicationSchema>;

/** The published JSON Schema of the current bundle version. */
export function bundleJsonSchema(): Record<string, unknown> {
  const { $schema: _draft, ...schema } = z.toJSONSchema(bundleSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $schema: "https://json-schema.org/draft/2020-12/schema", title: `Plugboard team bundle, version ${BUNDLE_VERSION}`, ...schema };
}

// The import choices and the two forms live in ./forms (client-safe: the Export / import page loads them
// without this file's schemas of every bundle member).
export { conflictChoiceSchema, exportFormSchema, importChoicesSchema, importFormSchema, type ConflictChoice, type ImportChoices } from "./forms";
