/**
 * What bench cases share to run the app for real: a bench database of their own, the loopback peer
 * (bench-server.mjs), the production server (scripts/serve.ts, what `npm start` runs) and its CPU time read from /proc.
 * Everything stays on 127.0.0.1; bench databases are emptied, so only local URLs are accepted.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "pg";
import { buildIfStale, SERVER_ENTRY } from "@/scripts/build-fingerprint";

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The environment the app runs with in a bench case: its own database, jobs schema, port and data folder. */
export type BenchAppEnv = Record<string, string> & {
  DATABASE_URL: string;
  AUTH_SECRET: string;
  PLUGBOARD_ALLOWED_HOSTS: string;
  PLUGBOARD_JOBS_SCHEMA: string;
};

/**
 * A case's app configuration: its own database (`databaseUrl`, else BENCH_DATABASE_URL, else the local
 * plugboard_bench_<id>) and jobs schema, fixed secrets, loopback allowed, and the data folder when given.
 */
export function benchAppEnv(id: string, options: { port: number; dataDir?: string; databaseUrl?: string }): BenchAppEnv {
  const databaseUrl =
    options.databaseUrl ??
    process.env.BENCH_DATABASE_URL ??
    `postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_bench_${id.replaceAll("-", "_")}`;
  return {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: "bench-auth-secret-that-is-long-enough-0123456789",
    PLUGBOARD_ENCRYPTION_KEY: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    PLUGBOARD_ALLOWED_HOSTS: "127.0.0.1",
    PLUGBOARD_PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    PLUGBOARD_JOBS_SCHEMA: `pgboss_bench_${id.replaceAll("-", "_")}`,
    ...(options.dataDir ? { PLUGBOARD_DATA_DIR: options.dataDir } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(options.port),
  };
}

/** Creates the bench database when it does not exist, then empties it (public, drizzle and the jobs schema). */
export async function freshBenchDatabase(url: string, jobsSchema?: string): Promise<void> {
  await ensureBenchDatabase(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query("drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;");
    if (jobsSchema) await db.query(`drop schema if exists ${db.escapeIdentifier(jobsSchema)} cascade`);
  } finally {
    await db.end();
  }
}

/** Creates the bench database when it does not exist; refuses one that is not on this machine (benches empty theirs). */
export async function ensureBenchDatabase(url: string): Promise<void> {
  const target = new URL(url);
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(target.hostname))
    throw new Error(`Refusing a non-local bench database (${target.hostname}).`);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const admin = new Client({ connectionString: maintenance.href });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
}

export type Peer = { base: string; stop(): Promise<void> };

/** The loopback peer: /small (tiny JSON), /bytes?n=N (N bytes streamed), /slow?ms=N; /file when given a file. */
export async function startPeer(options: { file?: string } = {}): Promise<Peer> {
  const args = [path.join(benchDir, "support/bench-server.mjs"), ...(options.file ? [options.file] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const [portLine] = (await once(child.stdout!, "data")) as [Buffer];
  return { base: `http://127.0.0.1:${portLine.toString().trim()}`, stop: () => stopChild(child) };
}

export type AppServer = { base: string; pid: number; cpuMs(): number; stop(): Promise<void> };

const projectDir = path.dirname(benchDir);

/** Builds as `npm start` does when the sources changed since the last build (a case measures the production server). */
export function ensureProductionBuild(): void {
  buildIfStale();
}

/**
 * Node's arguments for the production server on 127.0.0.1:`port`, as `npm start` runs it (scripts/serve.ts as
 * built, by node itself, not npx, so the child's pid is the server's). BENCH_SERVER_NODE_ARGS profiles the server,
 * e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (written when it stops).
 */
export function appServerArgs(port: number): string[] {
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  return [...nodeArgs, path.join(projectDir, SERVER_ENTRY), "--port", String(port), "--hostname", "127.0.0.1"];
}

/** The production server on the production build (built first when there is none), in its own process group. */
export async function startAppServer(env: Record<string, string | undefined>, port: number): Promise<AppServer> {
  ensureProductionBuild();
  const child = spawn(process.execPath, appServerArgs(port), {
    cwd: projectDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
    detached: true,
  });
  const pid = child.pid;
  if (!pid) throw new Error("the app server did not start");
  // The server must not outlive a failed benchmark.
  const kill = () => {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("exit", kill);
  const base = `http://127.0.0.1:${port}`;
  await waitForAnswer(`${base}/sign-in`);
  return {
    base,
    pid,
    cpuMs: () => processGroupCpuMs(pid),
    async stop() {
      kill();
      if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    },
  };
}

/** User + system CPU time of every process in a process group (the server and any child it forks), in ms. */
export function processGroupCpuMs(pgid: number): number {
  return processesCpuMs((fields) => Number(fields[2]) === pgid);
}

/**
 * User + system CPU time, in ms, of the local Postgres's backends serving `databaseUrl`'s database (their
 * command line names it): what the database spends on the app's statements, to set beside the app's own.
 * A backend that exits takes its time with it, so measure while the app's pool holds its connections.
 */
export function postgresBackendsCpuMs(databaseUrl: string): number {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  return processesCpuMs((_fields, entry, command) => {
    if (command !== "postgres") return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, "utf8").split(/[\0 ]/).includes(database);
    } catch {
      return false;
    }
  });
}

function processesCpuMs(include: (fields: string[], entry: string, command: string) => boolean): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name (which may hold spaces): state is field 3, pgrp 5, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (!include(fields, entry, stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")))) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / ticksPerSecond) * 1000;
}

export async function waitForAnswer(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}
