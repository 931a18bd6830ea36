import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The app's configuration, validated once. In embedded mode (no DATABASE_URL) missing secrets are
 * generated into the data folder, the way self-hosted tools do; with DATABASE_URL they must be set.
 */
const MIB = 1024 * 1024;
/** Measured with `npm run bench -- flows` (see the README's Performance section). */
const DEFAULT_FLOW_WORKERS = 4;
const DEFAULT_FLOW_POLL_SECONDS = 1;
/** A whole number of bytes: digits only, so a typo like "1mb" or "true" stops the start instead of becoming NaN. */
const byteLimit = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number of bytes, like 1048576")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min} bytes`).max(max, `must be at most ${max} bytes`));

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a Postgres URL like postgres://user:password@host:5432/db")
    .optional(),
  PLUGBOARD_DATA_DIR: z.string().min(1).default("./data"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters; generate one with `openssl rand -base64 33`").optional(),
  PLUGBOARD_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44}$/, "must be <keyId>:<base64 of 32 bytes>, e.g. k1:$(openssl rand -base64 32)")
    .optional(),
  PLUGBOARD_ENCRYPTION_KEYS_OLD: z.string().optional(),
  PLUGBOARD_ALLOWED_HOSTS: z.string().default(""),
  PLUGBOARD_PUBLIC_URL: z.url("must be the URL users open, like https://plugboard.example.com").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Read where used (lib/jobs, instrumentation.ts); validated here so a typo stops the start.
  PLUGBOARD_JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,49}$/, "must be a lower-case Postgres name, like pgboss")
    .optional(),
  PLUGBOARD_WORKERS: z.enum(["on", "off"], "must be on or off").optional(),
  // Flow runs one instance executes at once, and how often its idle workers look for queued runs (pg-boss polls no faster than 0.5 s).
  PLUGBOARD_FLOW_WORKERS: wholeNumber(1, 256, "workers").default(DEFAULT_FLOW_WORKERS),
  PLUGBOARD_FLOW_POLL_SECONDS: z.coerce
    .number("must be a number of seconds, like 1 or 0.5")
    .min(0.5, "must be at least 0.5 seconds (the job queue polls no faster)")
    .max(60, "must be at most 60 seconds")
    .default(DEFAULT_FLOW_POLL_SECONDS),
  PLUGBOARD_OAUTH_ACCESS_TOKEN_TTL: z.coerce
    .number()
    .int("must be a whole number of seconds")
    .min(60, "must be at least 60 seconds")
    .max(86_400, "must be at most 86400 seconds")
    .default(899),
  PLUGBOARD_OAUTH_REFRESH_TOKEN_TTL: wholeNumber(60, 365 * 86_400, "seconds").default(30 * 86_400),
  // Client secrets: how many may be active at once (rotation overlap), and the default lifetime of a new one (0: none).
  PLUGBOARD_OAUTH_MAX_CLIENT_SECRETS: wholeNumber(2, 10, "secrets").default(2),
  PLUGBOARD_OAUTH_SECRET_DAYS: wholeNumber(0, 3650, "days").default(0),
  // MCP (/mcp): requests per minute per OAuth client, and dynamic client registrations per hour per address.
  PLUGBOARD_MCP_RATE_LIMIT: wholeNumber(1, 100_000, "requests").default(120),
  PLUGBOARD_OAUTH_REGISTER_PER_HOUR: wholeNumber(1, 10_000, "registrations").default(10),
  // Retention of the request history and of the large binary downloads it keeps in the data folder.
  PLUGBOARD_HISTORY_RETENTION_DAYS: wholeNumber(1, 3650, "days").default(30),
  PLUGBOARD_HISTORY_MAX_MB_PER_TEAM: wholeNumber(1, 1_000_000, "MB").default(500),
  PLUGBOARD_DOWNLOADS_RETENTION_DAYS: wholeNumber(1, 3650, "days").default(7),
  PLUGBOARD_DOWNLOADS_MAX_MB_PER_TEAM: wholeNumber(1, 10_000_000, "MB").default(10_240),
  PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000")
    .default(64),
  PLUGBOARD_OUTBOUND_TEAM_SHARE: z.coerce
    .number("must be a number between 0 and 1, like 0.5")
    .gt(0, "must be more than 0")
    .max(1, "must be at most 1 (a team may use every slot)")
    .default(0.5),
  PLUGBOARD_OUTBOUND_MAX_QUEUED: z.coerce
    .number()
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .max(100_000, "must be at most 100000")
    .default(256),
  PLUGBOARD_MAX_BODY_BYTES: byteLimit(1024, 100 * MIB).default(MIB),
  PLUGBOARD_MAX_UPLOAD_BYTES: byteLimit(1024, 100 * MIB).default(25 * MIB),
  // Connection health (lib/health): the length of an "hour" and a "day" of the check and keep-alive schedules
  // (shorter only to test), and how many checks one instance runs at once.
  PLUGBOARD_HEALTH_HOURLY_SECONDS: wholeNumber(1, 3600, "seconds").default(3600),
  PLUGBOARD_HEALTH_DAILY_SECONDS: wholeNumber(1, 86_400, "seconds").default(86_400),
  PLUGBOARD_HEALTH_CHECK_CONCURRENCY: wholeNumber(1, 64, "checks").default(2),
  // Alert email over SMTP (lib/alerts); without a host and a sender the email channel is off.
  PLUGBOARD_SMTP_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, "must be a host name or address, like smtp.example.com")
    .optional(),
  PLUGBOARD_SMTP_PORT: z.coerce.number("must be a port number, like 587").int().min(1).max(65535).optional(),
  PLUGBOARD_SMTP_TLS: z.enum(["starttls", "tls", "none"], "must be starttls, tls or none").default("starttls"),
  PLUGBOARD_SMTP_USER: z.string().optional(),
  PLUGBOARD_SMTP_PASSWORD: z.string().optional(),
  PLUGBOARD_SMTP_FROM: z.email("must be an email address, like plugboard@example.com").optional(),
  PLUGBOARD_SMTP_CA_FILE: z.string().optional(),
  // First wait before a failed alert delivery is tried again (doubling each time).
  PLUGBOARD_ALERT_RETRY_SECONDS: wholeNumber(1, 3600, "seconds").default(30),
});

function wholeNumber(min: number, max: number, unit: string) {
  return z.coerce
    .number(`must be a whole number of ${unit}`)
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max} ${unit}`);
}

export type AppEnv = {
  databaseUrl?: string;
  /** "memory://" keeps the embedded database in memory (tests). */
  dataDir: string;
  authSecret: string;
  encryptionKey: string;
  encryptionKeysOld?: string;
  allowedHosts: string;
  publicUrl: string;
  port: number;
  /** Lifetime of access tokens Plugboard's OAuth server issues, in seconds. */
  oauthAccessTokenTtl: number;
  /** Refresh token lifetime, client secrets at once and the default lifetime of a new secret (0: none). */
  oauthRefreshTokenTtl: number;
  oauthMaxClientSecrets: number;
  oauthClientSecretLifetimeDays: number;
  /** MCP requests per minute per OAuth client; RFC 7591 registrations per hour per client address. */
  mcpRateLimit: number;
  oauthRegistrationsPerHour: number;
  retention: RetentionLimits;
  /** Outbound requests in flight at once on this instance (lib/http/outbound-limit.ts). */
  outboundMaxInFlight: number;
  /** Share of the in-flight slots and of the queue one team may take. */
  outboundTeamShare: number;
  /** Outbound requests that may wait for a slot; beyond that callers are told "busy, retry". */
  outboundMaxQueued: number;
  /** Cap on a request body to a route (webhooks, OAuth endpoints, REST API, forms), in bytes. */
  maxBodyBytes: number;
  /** Cap on a body that may carry files (request builder runs, REST request runs, server actions), in bytes. */
  maxUploadBytes: number;
} & FlowWorkerSettings;

/** Where alert email goes out (PLUGBOARD_SMTP_*); null when no SMTP server is configured. */
export type SmtpSettings = {
  host: string;
  port: number;
  /** starttls: plain connection upgraded (and required); tls: TLS from the first byte; none: no TLS (a local relay). */
  tls: "starttls" | "tls" | "none";
  user?: string;
  password?: string;
  from: string;
  /** A PEM file of a private CA trusted for the SMTP server's certificate. */
  caFile?: string;
};

/** The SMTP settings alone (validated as in getEnv); null with no PLUGBOARD_SMTP_HOST or PLUGBOARD_SMTP_FROM. */
export function getSmtpSettings(): SmtpSettings | null {
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema
    .pick({
      PLUGBOARD_SMTP_HOST: true,
      PLUGBOARD_SMTP_PORT: true,
      PLUGBOARD_SMTP_TLS: true,
      PLUGBOARD_SMTP_USER: true,
      PLUGBOARD_SMTP_PASSWORD: true,
      PLUGBOARD_SMTP_FROM: true,
      PLUGBOARD_SMTP_CA_FILE: true,
    })
    .safeParse(raw);
  if (!parsed.success) {
    throw new EnvError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const e = parsed.data;
  if (!e.PLUGBOARD_SMTP_HOST || !e.PLUGBOARD_SMTP_FROM) return null;
  return {
    host: e.PLUGBOARD_SMTP_HOST,
    port: e.PLUGBOARD_SMTP_PORT ?? (e.PLUGBOARD_SMTP_TLS === "tls" ? 465 : 587),
    tls: e.PLUGBOARD_SMTP_TLS,
    user: e.PLUGBOARD_SMTP_USER,
    password: e.PLUGBOARD_SMTP_PASSWORD,
    from: e.PLUGBOARD_SMTP_FROM,
    caFile: e.PLUGBOARD_SMTP_CA_FILE,
  };
}

/** Seconds before a failed alert delivery's first retry (PLUGBOARD_ALERT_RETRY_SECONDS, default 30). */
export function getAlertRetrySeconds(): number {
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.pick({ PLUGBOARD_ALERT_RETRY_SECONDS: true }).safeParse(raw);
  if (!parsed.success) throw new EnvError(`Invalid configuration:\n  PLUGBOARD_ALERT_RETRY_SECONDS: ${parsed.error.issues[0]?.message}`);
  return parsed.data.PLUGBOARD_ALERT_RETRY_SECONDS;
}

/** The flow workers of one instance (lib/flows/worker.ts). */
export type FlowWorkerSettings = {
  /** Flow runs this instance executes at the same time. */
  flowWorkers: number;
  /** How often an idle worker looks for queued runs, in seconds. */
  flowPollSeconds: number;
};

/** How long, and up to how much per team, request history rows and their downloaded files are kept. */
export type RetentionLimits = { historyDays: number; historyMaxBytes: number; downloadsDays: number; downloadsMaxBytes: number };

export class EnvError extends Error {}

let cached: AppEnv | undefined;

export function getEnv(): AppEnv {
  if (cached) return cached;
  // An empty variable (a copied .env.example line) means "not set".
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const e = parsed.data;
  let authSecret = e.AUTH_SECRET;
  let encryptionKey = e.PLUGBOARD_ENCRYPTION_KEY;
  if (!authSecret || !encryptionKey) {
    const missing = [!authSecret && "AUTH_SECRET", !encryptionKey && "PLUGBOARD_ENCRYPTION_KEY"].filter((name) => name !== false);
    if (e.DATABASE_URL) {
      throw new EnvError(
        `Missing ${missing.join(" and ")}. With DATABASE_URL set, secrets must come from the environment:\n` +
          "  AUTH_SECRET: `openssl rand -base64 33`\n" +
          "  PLUGBOARD_ENCRYPTION_KEY: k1:`openssl rand -base64 32`",
      );
    }
    const generated = loadOrCreateEmbeddedSecrets(e.PLUGBOARD_DATA_DIR, missing);
    authSecret ??= generated.authSecret;
    encryptionKey ??= generated.encryptionKey;
  }
  cached = {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PLUGBOARD_DATA_DIR,
    authSecret,
    encryptionKey,
    encryptionKeysOld: e.PLUGBOARD_ENCRYPTION_KEYS_OLD,
    allowedHosts: e.PLUGBOARD_ALLOWED_HOSTS,
    publicUrl: (e.PLUGBOARD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    port: e.PORT,
    oauthAccessTokenTtl: e.PLUGBOARD_OAUTH_ACCESS_TOKEN_TTL,
    oauthRefreshTokenTtl: e.PLUGBOARD_OAUTH_REFRESH_TOKEN_TTL,
    oauthMaxClientSecrets: e.PLUGBOARD_OAUTH_MAX_CLIENT_SECRETS,
    oauthClientSecretLifetimeDays: e.PLUGBOARD_OAUTH_SECRET_DAYS,
    mcpRateLimit: e.PLUGBOARD_MCP_RATE_LIMIT,
    oauthRegistrationsPerHour: e.PLUGBOARD_OAUTH_REGISTER_PER_HOUR,
    retention: {
      historyDays: e.PLUGBOARD_HISTORY_RETENTION_DAYS,
      historyMaxBytes: e.PLUGBOARD_HISTORY_MAX_MB_PER_TEAM * 1024 ** 2,
      downloadsDays: e.PLUGBOARD_DOWNLOADS_RETENTION_DAYS,
      downloadsMaxBytes: e.PLUGBOARD_DOWNLOADS_MAX_MB_PER_TEAM * 1024 ** 2,
    },
    outboundMaxInFlight: e.PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT,
    outboundTeamShare: e.PLUGBOARD_OUTBOUND_TEAM_SHARE,
    outboundMaxQueued: e.PLUGBOARD_OUTBOUND_MAX_QUEUED,
    maxBodyBytes: e.PLUGBOARD_MAX_BODY_BYTES,
    maxUploadBytes: e.PLUGBOARD_MAX_UPLOAD_BYTES,
    flowWorkers: e.PLUGBOARD_FLOW_WORKERS,
    flowPollSeconds: e.PLUGBOARD_FLOW_POLL_SECONDS,
  };
  return cached;
}

/**
 * The outbound limits alone (validated as in getEnv), for lib/http, which must not need the app's secrets:
 * the executor also runs in scripts and unit tests that have none.
 */
export function getOutboundLimitsEnv(): Pick<AppEnv, "outboundMaxInFlight" | "outboundTeamShare" | "outboundMaxQueued"> {
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const schema = envSchema.pick({ PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT: true, PLUGBOARD_OUTBOUND_TEAM_SHARE: true, PLUGBOARD_OUTBOUND_MAX_QUEUED: true });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new EnvError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return {
    outboundMaxInFlight: parsed.data.PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT,
    outboundTeamShare: parsed.data.PLUGBOARD_OUTBOUND_TEAM_SHARE,
    outboundMaxQueued: parsed.data.PLUGBOARD_OUTBOUND_MAX_QUEUED,
  };
}

/** The flow worker settings alone (validated as in getEnv), for worker processes started without the app's secrets. */
export function getFlowWorkerSettings(): FlowWorkerSettings {
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.pick({ PLUGBOARD_FLOW_WORKERS: true, PLUGBOARD_FLOW_POLL_SECONDS: true }).safeParse(raw);
  if (!parsed.success) {
    throw new EnvError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return { flowWorkers: parsed.data.PLUGBOARD_FLOW_WORKERS, flowPollSeconds: parsed.data.PLUGBOARD_FLOW_POLL_SECONDS };
}

/** Connection health settings (validated as in getEnv), for the health workers and the save path. */
export type HealthSettings = { hourlyMs: number; dailyMs: number; checkConcurrency: number };

export function getHealthSettings(): HealthSettings {
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema
    .pick({ PLUGBOARD_HEALTH_HOURLY_SECONDS: true, PLUGBOARD_HEALTH_DAILY_SECONDS: true, PLUGBOARD_HEALTH_CHECK_CONCURRENCY: true })
    .safeParse(raw);
  if (!parsed.success) {
    throw new EnvError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return {
    hourlyMs: parsed.data.PLUGBOARD_HEALTH_HOURLY_SECONDS * 1000,
    dailyMs: parsed.data.PLUGBOARD_HEALTH_DAILY_SECONDS * 1000,
    checkConcurrency: parsed.data.PLUGBOARD_HEALTH_CHECK_CONCURRENCY,
  };
}

/** Tests change the environment between cases. */
export function resetEnvCache() {
  cached = undefined;
}

type EmbeddedSecrets = { authSecret: string; encryptionKey: string };

/** `used`: the variables the environment does not set, which the file's values stand in for (named in the warning). */
function loadOrCreateEmbeddedSecrets(dataDir: string, used: string[]): EmbeddedSecrets {
  if (dataDir.startsWith("memory://")) {
    // In-memory databases are for tests: secrets live as long as the process.
    return (globalThis.__plugboardMemorySecrets ??= newSecrets());
  }
  const file = path.join(path.resolve(dataDir), "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as EmbeddedSecrets;
  mkdirSync(path.dirname(file), { recursive: true });
  const secrets = newSecrets();
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch (err) {
    // Another process (the migrator, a second worker) created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return JSON.parse(readFileSync(file, "utf8")) as EmbeddedSecrets;
    throw err;
  }
  console.warn(
    `[plugboard] Generated ${used.join(" and ")} into ${file}. ` +
      "Back this file up with the data folder: without it stored credentials cannot be decrypted.",
  );
  return secrets;
}

function newSecrets(): EmbeddedSecrets {
  return {
    authSecret: randomBytes(33).toString("base64"),
    encryptionKey: `k1:${randomBytes(32).toString("base64")}`,
  };
}

declare global {
  var __plugboardMemorySecrets: EmbeddedSecrets | undefined;
}
