import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EnvError, getEnv, getFlowWorkerSettings, resetEnvCache } from "./env";

const RETENTION_KEYS = [
  "PLUGBOARD_HISTORY_RETENTION_DAYS",
  "PLUGBOARD_HISTORY_MAX_MB_PER_TEAM",
  "PLUGBOARD_DOWNLOADS_RETENTION_DAYS",
  "PLUGBOARD_DOWNLOADS_MAX_MB_PER_TEAM",
];
const KEYS = [
  ...RETENTION_KEYS,
  "DATABASE_URL",
  "PLUGBOARD_DATA_DIR",
  "AUTH_SECRET",
  "PLUGBOARD_ENCRYPTION_KEY",
  "PLUGBOARD_PUBLIC_URL",
  "PORT",
  "PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT",
  "PLUGBOARD_OUTBOUND_TEAM_SHARE",
  "PLUGBOARD_OUTBOUND_MAX_QUEUED",
  "PLUGBOARD_MAX_BODY_BYTES",
  "PLUGBOARD_MAX_UPLOAD_BYTES",
  "PLUGBOARD_FLOW_WORKERS",
  "PLUGBOARD_FLOW_POLL_SECONDS",
];
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  resetEnvCache();
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  resetEnvCache();
});

describe("getEnv", () => {
  it("generates secrets once into the data folder in embedded mode, with a warning", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plugboard-env-"));
    process.env.PLUGBOARD_DATA_DIR = dir;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = getEnv();
    expect(warn).toHaveBeenCalledOnce();
    expect(first.encryptionKey).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    resetEnvCache();
    expect(getEnv()).toMatchObject({ authSecret: first.authSecret, encryptionKey: first.encryptionKey });
    expect(JSON.parse(readFileSync(file, "utf8")).authSecret).toBe(first.authSecret);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`Generated AUTH_SECRET and PLUGBOARD_ENCRYPTION_KEY into ${file}.`));
    warn.mockRestore();
  });

  it("names only the secret it generated when the environment sets the other", () => {
    process.env.PLUGBOARD_DATA_DIR = mkdtempSync(path.join(tmpdir(), "plugboard-env-"));
    process.env.AUTH_SECRET = "env-auth-secret-that-is-long-enough-0123456789";
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(getEnv().authSecret).toBe("env-auth-secret-that-is-long-enough-0123456789");
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[plugboard\] Generated PLUGBOARD_ENCRYPTION_KEY into /));
    warn.mockRestore();
  });

  it("refuses to start with DATABASE_URL but no secrets, naming what is missing", () => {
    process.env.DATABASE_URL = "postgres://u:p@127.0.0.1:5432/db";
    expect(() => getEnv()).toThrow(EnvError);
    expect(() => getEnv()).toThrow(/Missing AUTH_SECRET and PLUGBOARD_ENCRYPTION_KEY/);
  });

  it("names a malformed variable and its expected form", () => {
    process.env.DATABASE_URL = "mysql://nope";
    process.env.PORT = "abc";
    process.env.PLUGBOARD_ENCRYPTION_KEY = "just-a-string";
    const error = (() => {
      try {
        getEnv();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain("DATABASE_URL: must be a Postgres URL");
    expect(error?.message).toContain("PLUGBOARD_ENCRYPTION_KEY: must be <keyId>:<base64 of 32 bytes>");
    expect(error?.message).toContain("PORT:");
  });

  it("reads the retention limits with their defaults, and names a malformed one", () => {
    process.env.PLUGBOARD_DATA_DIR = "memory://";
    expect(getEnv().retention).toEqual({
      historyDays: 30,
      historyMaxBytes: 500 * 1024 ** 2,
      downloadsDays: 7,
      downloadsMaxBytes: 10_240 * 1024 ** 2,
    });
    resetEnvCache();
    process.env.PLUGBOARD_HISTORY_RETENTION_DAYS = "90";
    process.env.PLUGBOARD_DOWNLOADS_MAX_MB_PER_TEAM = "2048";
    expect(getEnv().retention).toMatchObject({ historyDays: 90, downloadsMaxBytes: 2048 * 1024 ** 2 });
    resetEnvCache();
    process.env.PLUGBOARD_HISTORY_RETENTION_DAYS = "0";
    process.env.PLUGBOARD_HISTORY_MAX_MB_PER_TEAM = "1.5";
    process.env.PLUGBOARD_DOWNLOADS_RETENTION_DAYS = "a week";
    const message = (() => {
      try {
        getEnv();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toContain("PLUGBOARD_HISTORY_RETENTION_DAYS: must be at least 1 days");
    expect(message).toContain("PLUGBOARD_HISTORY_MAX_MB_PER_TEAM: must be a whole number of MB");
    expect(message).toContain("PLUGBOARD_DOWNLOADS_RETENTION_DAYS: must be a whole number of days");
  });

  it("reads the outbound limits, with defaults, and names a bad one", () => {
    process.env.PLUGBOARD_DATA_DIR = "memory://";
    expect(getEnv()).toMatchObject({ outboundMaxInFlight: 64, outboundTeamShare: 0.5, outboundMaxQueued: 256 });
    resetEnvCache();
    process.env.PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT = "8";
    process.env.PLUGBOARD_OUTBOUND_TEAM_SHARE = "0.25";
    process.env.PLUGBOARD_OUTBOUND_MAX_QUEUED = "0";
    expect(getEnv()).toMatchObject({ outboundMaxInFlight: 8, outboundTeamShare: 0.25, outboundMaxQueued: 0 });
    resetEnvCache();
    process.env.PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT = "0";
    process.env.PLUGBOARD_OUTBOUND_TEAM_SHARE = "1.5";
    process.env.PLUGBOARD_OUTBOUND_MAX_QUEUED = "lots";
    expect(() => getEnv()).toThrow(/PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT: must be at least 1/);
    expect(() => getEnv()).toThrow(/PLUGBOARD_OUTBOUND_TEAM_SHARE: must be at most 1/);
    expect(() => getEnv()).toThrow(/PLUGBOARD_OUTBOUND_MAX_QUEUED:/);
  });

  it("reads the flow worker settings, with defaults, and names a bad one", () => {
    process.env.PLUGBOARD_DATA_DIR = "memory://";
    expect(getEnv()).toMatchObject({ flowWorkers: 4, flowPollSeconds: 1 });
    expect(getFlowWorkerSettings()).toEqual({ flowWorkers: 4, flowPollSeconds: 1 });
    resetEnvCache();
    process.env.PLUGBOARD_FLOW_WORKERS = "12";
    process.env.PLUGBOARD_FLOW_POLL_SECONDS = "2.5";
    expect(getEnv()).toMatchObject({ flowWorkers: 12, flowPollSeconds: 2.5 });
    expect(getFlowWorkerSettings()).toEqual({ flowWorkers: 12, flowPollSeconds: 2.5 });
    resetEnvCache();
    process.env.PLUGBOARD_FLOW_WORKERS = "1.5";
    process.env.PLUGBOARD_FLOW_POLL_SECONDS = "0.1";
    expect(() => getEnv()).toThrow(/PLUGBOARD_FLOW_WORKERS: must be a whole number of workers/);
    expect(() => getEnv()).toThrow(/PLUGBOARD_FLOW_POLL_SECONDS: must be at least 0.5 seconds/);
    expect(() => getFlowWorkerSettings()).toThrow(/PLUGBOARD_FLOW_WORKERS: must be a whole number of workers/);
    process.env.PLUGBOARD_FLOW_WORKERS = "0";
    process.env.PLUGBOARD_FLOW_POLL_SECONDS = "often";
    expect(() => getFlowWorkerSettings()).toThrow(/PLUGBOARD_FLOW_WORKERS: must be at least 1 workers/);
    expect(() => getFlowWorkerSettings()).toThrow(/PLUGBOARD_FLOW_POLL_SECONDS: must be a number of seconds/);
  });

  it("reads the body limits in bytes, with defaults, and refuses anything but digits", () => {
    process.env.PLUGBOARD_DATA_DIR = "memory://";
    expect(getEnv()).toMatchObject({ maxBodyBytes: 1024 * 1024, maxUploadBytes: 25 * 1024 * 1024 });
    resetEnvCache();
    process.env.PLUGBOARD_MAX_BODY_BYTES = "65536";
    expect(getEnv().maxBodyBytes).toBe(65536);
    resetEnvCache();
    process.env.PLUGBOARD_MAX_BODY_BYTES = "1mb";
    process.env.PLUGBOARD_MAX_UPLOAD_BYTES = "10";
    expect(() => getEnv()).toThrow(
      /PLUGBOARD_MAX_BODY_BYTES: must be a whole number of bytes[\s\S]*PLUGBOARD_MAX_UPLOAD_BYTES: must be at least 1024 bytes/,
    );
  });

  it("derives the public URL from the port", () => {
    process.env.PLUGBOARD_DATA_DIR = "memory://";
    process.env.PORT = "4123";
    expect(getEnv().publicUrl).toBe("http://localhost:4123");
  });
});

describe("getEnv with a copied .env.example", () => {
  it("treats empty variables as unset", () => {
    process.env.DATABASE_URL = "";
    process.env.AUTH_SECRET = "";
    process.env.PLUGBOARD_DATA_DIR = "memory://";
    expect(getEnv().databaseUrl).toBeUndefined();
  });
});
