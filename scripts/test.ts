/**
 * `npm test`: brings what the suites need unless the environment points at existing ones (a private
 * Postgres from npm, Debian's httpbin and Chromium), runs the stages in order, stops at the first that
 * fails, and stops everything it started: after the last stage, on failure, and on SIGINT/SIGTERM/SIGHUP.
 *
 *   node --import tsx scripts/test.ts                    type check, vitest, Playwright
 *   node --import tsx scripts/test.ts --only unit [...]  one stage; further arguments go to its runner
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { playwrightChromium } from "../e2e/support/playwright-chromium";
import { startHttpbin } from "../e2e/support/httpbin";
import { startPrivatePostgres } from "../e2e/support/private-postgres";
import { ensureSystemTools, type ToolName } from "../e2e/support/system-tools";
import { createDatabaseIfMissing } from "../e2e/support/test-database";

type Need = "test-database" | "e2e-database" | "httpbin" | "authlib" | "botocore" | "oauthlib" | "tinyproxy" | "chromium" | "app-build";

interface Stage {
  bin: string;
  args: string[];
  needs: Need[];
}

const STAGES = {
  typecheck: { bin: "tsc", args: ["--noEmit"], needs: [] },
  lint: { bin: "biome", args: ["check", "."], needs: [] },
  unit: { bin: "vitest", args: ["run"], needs: ["test-database", "httpbin", "authlib", "botocore", "oauthlib", "tinyproxy"] },
  e2e: { bin: "playwright", args: ["test"], needs: ["app-build", "e2e-database", "httpbin", "chromium", "tinyproxy"] },
} satisfies Record<string, Stage>;
type StageName = keyof typeof STAGES;

/**
 * Stages in a wave run side by side; a wave starts when the one before passed. The type check and lint keep
 * one core busy for a minute or so while vitest's files mostly wait on peers, databases and timers, and
 * `next build` (started when the type check passed) takes the core they leave. Playwright needs the build
 * and the whole machine, so it runs alone after them.
 */
const WAVES: StageName[][] = [["typecheck", "lint", "unit"], ["e2e"]];

// The databases a need stands for: the variable that names an existing one, and the private one's name.
const DATABASES: Partial<Record<Need, { variable: string; name: string }>> = {
  "test-database": { variable: "TEST_DATABASE_URL", name: "plugboard_test" },
  "e2e-database": { variable: "E2E_DATABASE_URL", name: "plugboard_e2e" },
};

function unsetDatabases(needs: Iterable<Need>) {
  return [...needs].flatMap((need) => {
    const db = DATABASES[need];
    return db && !process.env[db.variable] ? [db] : [];
  });
}

/**
 * Playwright runs in E2E_SHARDS (default 2) processes side by side, each with its own app server and
 * database, the `app` specs split between them (e2e/support/e2e-shards.ts): on two cores one run leaves
 * the CPU idle while the browser waits on the server and the server on the database. Shard 1 keeps
 * E2E_PORT and E2E_DATABASE_URL; shard i adds 100 (i - 1) to the port and `_shard<i>` to the database name.
 */
const e2eShardCount = Number(process.env.E2E_SHARDS ?? 2);
if (!Number.isInteger(e2eShardCount) || e2eShardCount < 1) throw new Error(`E2E_SHARDS must be a positive integer (got "${process.env.E2E_SHARDS}")`);
/** 1 when runner arguments (a spec file, a project) ask for one run: the split is for the whole suite. */
let e2eShards = e2eShardCount;

function shardDatabaseName(name: string, index: number): string {
  return index === 1 ? name : `${name}_shard${index}`;
}

function shardDatabaseUrl(url: string, index: number): string {
  const u = new URL(url);
  u.pathname = `/${shardDatabaseName(decodeURIComponent(u.pathname.slice(1)), index)}`;
  return u.href;
}

function e2eShardEnv(index: number, count: number): { E2E_SHARD: string; E2E_PORT: string; E2E_DATABASE_URL: string } {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set");
  const port = Number(process.env.E2E_PORT ?? 3100) + 100 * (index - 1);
  return { E2E_SHARD: `${index}/${count}`, E2E_PORT: String(port), E2E_DATABASE_URL: shardDatabaseUrl(url, index) };
}

const log = (line: string) => process.stdout.write(`== ${line}\n`);

function parseArgs(argv: string[]): { stages: StageName[]; extra: string[] } {
  if (argv[0] !== "--only") {
    if (argv.length > 0) throw new Error(`unknown arguments: ${argv.join(" ")} (use --only <${Object.keys(STAGES).join("|")}> [runner args])`);
    return { stages: Object.keys(STAGES) as StageName[], extra: [] };
  }
  const stage = argv[1];
  if (!stage || !(stage in STAGES)) throw new Error(`--only needs one of ${Object.keys(STAGES).join(", ")}`);
  return { stages: [stage as StageName], extra: argv.slice(2) };
}

const stops: { what: string; stop: () => Promise<void> }[] = [];
const running = new Set<ChildProcess>();
let interrupted: NodeJS.Signals | undefined;

// The runners get their own process group so that a terminal's Ctrl-C reaches them once, from here,
// and the whole group can be signalled together. Whatever stopped us, they get SIGINT: on SIGTERM
// Playwright exits without stopping its app server, on SIGINT it stops it.
function onSignal(signal: NodeJS.Signals) {
  const again = interrupted !== undefined;
  interrupted ??= signal;
  for (const child of running) signalGroup(child, again ? "SIGKILL" : "SIGINT");
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
// package.json `exec`s this script so that npm's SIGTERM reaches it rather than a shell that would die
// without passing it on; if npm itself is killed, being re-parented is how we learn the run was stopped.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart && !interrupted) onSignal("SIGTERM");
}, 500).unref();

function checkInterrupted() {
  if (interrupted) throw new Error(`interrupted (${interrupted})`);
}

interface RunnerOptions {
  /** Collects the output here instead of showing it. */
  output?: Buffer[];
  /** Shows the output line by line, each line starting with this (runs side by side stay readable). */
  prefix?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts a runner in a process group of its own. */
function startRunner(stage: Stage, extra: string[], { output, prefix, env }: RunnerOptions = {}): { child: ChildProcess; exit: Promise<number> } {
  const shown = output || prefix ? "pipe" : "inherit";
  const child = spawn(path.resolve("node_modules/.bin", stage.bin), [...stage.args, ...extra], {
    // No terminal input: a process group in the background that read it would be stopped (SIGTTIN).
    stdio: ["ignore", shown, shown],
    detached: true,
    env: env ?? process.env,
  });
  running.add(child);
  const prefixed = prefix ? [prefixLines(prefix, process.stdout), prefixLines(prefix, process.stderr)] : undefined;
  child.stdout?.on("data", (chunk: Buffer) => (prefixed ? prefixed[0].write(chunk) : output?.push(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => (prefixed ? prefixed[1].write(chunk) : output?.push(chunk)));
  child.once("close", () => {
    for (const lines of prefixed ?? []) lines.end();
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once("error", (error) => {
      running.delete(child);
      reject(error);
    });
    // "close" rather than "exit": collected output is complete only once its pipes closed.
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 128 + signalNumber(signal) : 1));
    });
  });
  return { child, exit };
}

/** Writes whole lines to `to`, each after `prefix`; a last line without its newline is written by end(). */
function prefixLines(prefix: string, to: NodeJS.WriteStream) {
  let partial = "";
  return {
    write(chunk: Buffer) {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      if (lines.length > 0) to.write(lines.map((line) => `${prefix}${line}\n`).join(""));
    },
    end() {
      if (partial) to.write(`${prefix}${partial}\n`);
      partial = "";
    },
  };
}

/** With `quiet`, the output is held back and shown when the stage ends (it runs beside a stage that shows its own). */
async function runStage(name: StageName, stage: Stage, extra: string[], quiet: boolean): Promise<number> {
  if (name === "e2e" && e2eShards > 1) return runE2eShards(stage, e2eShards);
  const output: Buffer[] = [];
  const code = await startRunner(stage, extra, quiet ? { output } : {}).exit;
  process.stdout.write(Buffer.concat(output));
  return code;
}

/** Every shard runs to its end (all failures are shown); the first failing one's exit code is the stage's. */
async function runE2eShards(stage: Stage, count: number): Promise<number> {
  const codes = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const shardEnv = e2eShardEnv(i + 1, count);
      const started = Date.now();
      const { exit } = startRunner(stage, [], { env: { ...process.env, ...shardEnv }, prefix: `[e2e ${shardEnv.E2E_SHARD}] ` });
      const code = await exit;
      const seconds = Math.round((Date.now() - started) / 1000);
      log(`e2e shard ${shardEnv.E2E_SHARD} (port ${shardEnv.E2E_PORT}): ${code === 0 ? "passed" : `failed (exit ${code})`} in ${seconds} s`);
      return code;
    }),
  );
  return codes.find((code) => code !== 0) ?? 0;
}

interface AppBuild {
  exit: Promise<number>;
  output: Buffer[];
  started: number;
}

/**
 * `next build` needs nothing the other stages start and they need nothing from it, so it runs beside
 * lint and vitest (on the core their waits on peers, databases and timers leave idle) instead of after
 * them. Its output is held back, not interleaved with theirs, and shown when Playwright needs the build.
 */
function startAppBuild(typeChecked: boolean): AppBuild {
  const output: Buffer[] = [];
  // After tsc passed on this tree, next build's own type check (a minute of CPU beside vitest) finds nothing new.
  const env = typeChecked ? { ...process.env, PLUGBOARD_SKIP_BUILD_TYPECHECK: "1" } : process.env;
  const { child, exit } = startRunner({ bin: "tsx", args: ["scripts/build-app.ts"], needs: [] }, [], { output, env });
  stops.push({
    what: "the app build",
    stop: async () => {
      if (running.has(child)) signalGroup(child, "SIGINT");
      await exit.catch(() => {});
    },
  });
  return { exit, output, started: Date.now() };
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal];
}

/** Starts what `needs` asks for and the environment does not give; each peer once per run. */
async function provide(needs: Need[], allNeeds: Set<Need>, appBuild: () => AppBuild) {
  if (needs.includes("app-build")) {
    const build = appBuild();
    const code = await build.exit;
    process.stdout.write(Buffer.concat(build.output));
    if (code !== 0) throw new Error(`building the app failed (exit ${code})`);
    log(`app build current, ${Math.round((Date.now() - build.started) / 1000)} s after it started`);
  }
  checkInterrupted();
  if (unsetDatabases(needs).length > 0) {
    // One server for every database this run will use, so that a later stage does not start another.
    const databases = unsetDatabases(allNeeds);
    const started = Date.now();
    const e2eShardNames = databases.some((db) => db.variable === "E2E_DATABASE_URL")
      ? Array.from({ length: e2eShards - 1 }, (_, i) => shardDatabaseName(DATABASES["e2e-database"]?.name ?? "", i + 2))
      : [];
    const server = await startPrivatePostgres([...databases.map((db) => db.name), ...e2eShardNames]);
    stops.push({ what: "Postgres", stop: server.stop });
    for (const db of databases) process.env[db.variable] = server.urlFor(db.name);
    const names = databases.map((db) => db.variable).join(", ");
    log(`private Postgres on 127.0.0.1:${server.port} for ${names}, up in ${Date.now() - started} ms`);
  }
  if (needs.includes("e2e-database")) {
    // The other shards' databases beside an E2E_DATABASE_URL given by the environment.
    for (let i = 2; i <= e2eShards; i++) await createDatabaseIfMissing(e2eShardEnv(i, e2eShards).E2E_DATABASE_URL);
  }
  checkInterrupted();
  if (needs.includes("httpbin") && !process.env.HTTPBIN_URL) {
    const httpbin = await startHttpbin();
    stops.push({ what: "httpbin", stop: httpbin.stop });
    process.env.HTTPBIN_URL = httpbin.url;
    log(`httpbin on ${httpbin.url}`);
  }
  checkInterrupted();
}

async function main(): Promise<number> {
  const { stages, extra } = parseArgs(process.argv.slice(2));
  if (extra.length > 0) e2eShards = 1;
  const allNeeds = new Set(stages.flatMap((s): Need[] => STAGES[s].needs));
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";

  // Missing system programs are found out (and installed) before anything else runs.
  const tools = (["chromium", "httpbin", "authlib", "botocore", "oauthlib", "tinyproxy"] satisfies ToolName[]).filter((tool) => allNeeds.has(tool));
  const found = await ensureSystemTools(tools, { playwrightChromium: playwrightChromium(), log });
  if (found.chromium) process.env.CHROMIUM_PATH = found.chromium;
  checkInterrupted();

  // Started once the type check passed: `next build` writes next-env.d.ts and .next/types, which tsc reads.
  let build: AppBuild | undefined;
  const appBuild = () => (build ??= startAppBuild(stages.includes("typecheck")));
  const startBuildAfter = (name: StageName) => name === "typecheck" && allNeeds.has("app-build");
  if (!stages.includes("typecheck") && allNeeds.has("app-build")) appBuild();
  for (const wave of WAVES) {
    const names = wave.filter((name) => stages.includes(name));
    const runs: Promise<number>[] = [];
    let failed: number | undefined;
    for (const name of names) {
      const stage: Stage = STAGES[name];
      await provide(stage.needs, allNeeds, appBuild);
      if (failed !== undefined) break;
      log(`${name}: ${stage.bin} ${[...stage.args, ...extra].join(" ")}`);
      const started = Date.now();
      const run = runStage(name, stage, extra, names.length > 1 && name !== "unit").then((code) => {
        log(`${name}: ${code === 0 ? "passed" : `failed (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
        if (code === 0 && startBuildAfter(name)) appBuild();
        if (code !== 0 && failed === undefined) {
          failed = code;
          // The first failure ends the wave: the stages beside it are stopped as on Ctrl-C.
          for (const child of running) signalGroup(child, "SIGINT");
        }
        return code;
      });
      runs.push(run);
    }
    await Promise.all(runs);
    if (failed !== undefined) return failed;
    checkInterrupted();
  }
  return 0;
}

let exitCode = 1;
const started = Date.now();
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`npm test: ${(error as Error).message}\n`);
} finally {
  // A stage still running beside one that failed to start (a wave's peers could not be provided).
  for (const child of running) signalGroup(child, "SIGINT");
  for (const { what, stop } of stops.reverse()) {
    await stop().catch((error: Error) => process.stderr.write(`could not stop ${what}: ${error.message}\n`));
  }
}
if (interrupted) exitCode = 128 + signalNumber(interrupted);
log(`${exitCode === 0 ? "all passed" : "failed"} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(exitCode);
