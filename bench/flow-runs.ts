/**
 * Benchmark of queued flow runs per second: a one-step flow (GET a loopback JSON endpoint), N runs queued
 * in pg-boss, then drained by one worker process and, in the same benchmark run, by two worker processes
 * (two app instances) on the same Postgres database.
 *   npx tsx bench/flow-runs.ts                  (BENCH_RUNS=500, BENCH_CONCURRENCY=8 per process)
 *   BENCH_DATABASE_URL=postgres://…/db          (default: local plugboard_bench_flows; it is emptied: local only)
 * Throughput is runs / (last finished - first started), from the runs' own timestamps, so process start-up
 * is not counted. Each run claims, executes, records its step and finishes in Postgres, like in the app.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

if (!process.execArgv.includes("--conditions=react-server")) {
  const child = spawn(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_bench_flows";
  const RUNS = Number(process.env.BENCH_RUNS ?? 500);
  const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
  Object.assign(process.env, {
    DATABASE_URL: url,
    AUTH_SECRET: "bench-auth-secret-that-is-long-enough-0123456789",
    PLUGBOARD_ENCRYPTION_KEY: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    PLUGBOARD_ALLOWED_HOSTS: "127.0.0.1",
    PLUGBOARD_JOBS_SCHEMA: "pgboss_bench",
  });
  const { resetDatabase } = await import("../e2e/support/test-database");
  const { Client } = await import("pg");
  await resetDatabase(url);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query("drop schema if exists pgboss_bench cascade");
  await admin.end();

  const { migrateDatabase } = await import("@/db/migrate");
  const { getDb, closeDb } = await import("@/db/client");
  const { flowRuns } = await import("@/db/schema");
  const { and, inArray, sql } = await import("drizzle-orm");
  const { makeTeamContext } = await import("@/lib/testing/factories");
  const { makeFlow, step } = await import("@/lib/flows/testing/helpers");
  const { startFlowRun } = await import("@/lib/flows/runs");
  const { stopQueue } = await import("@/lib/jobs");
  await migrateDatabase();
  const db = await getDb();

  const peer = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), "support/bench-server.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [portLine] = (await once(peer.stdout!, "data")) as [Buffer];
  const base = `http://127.0.0.1:${portLine.toString().trim()}`;

  // The peer must not outlive a failed benchmark.
  process.on("exit", () => peer.kill("SIGTERM"));
  const ctx = await makeTeamContext();
  const { id: flowId } = await makeFlow(db, ctx, { maxConcurrentRuns: 50, steps: [step("fetch", { url: `${base}/small` })] });

  const results: Array<{ label: string; runs: number; seconds: number; perSecond: number; perProcess: number[] }> = [];
  for (const instances of [1, 2]) {
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) ids.push((await startFlowRun(db, ctx, { flowId, input: { i }, trigger: "manual" }))!.runId);
    const workers = await Promise.all(Array.from({ length: instances }, () => startWorker(CONCURRENCY)));
    await waitUntil(async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(flowRuns)
        .where(and(inArray(flowRuns.id, ids), inArray(flowRuns.status, ["succeeded", "failed"])));
      return row.n === RUNS;
    });
    const [span] = await db
      .select({
        first: sql<string>`min(${flowRuns.startedAt})`,
        last: sql<string>`max(${flowRuns.finishedAt})`,
        failed: sql<number>`count(*) filter (where ${flowRuns.status} <> 'succeeded')::int`,
        twice: sql<number>`count(*) filter (where ${flowRuns.attempts} <> 1)::int`,
      })
      .from(flowRuns)
      .where(inArray(flowRuns.id, ids));
    if (span.failed || span.twice) throw new Error(`${span.failed} runs failed, ${span.twice} ran more than once`);
    const seconds = (new Date(span.last).getTime() - new Date(span.first).getTime()) / 1000;
    results.push({
      label: `${instances} app instance${instances > 1 ? "s" : ""} × ${CONCURRENCY} workers`,
      runs: RUNS,
      seconds,
      perSecond: RUNS / seconds,
      perProcess: workers.map((w) => w.done),
    });
    await Promise.all(workers.map((w) => w.stop()));
  }

  console.log(`\nQueued flow runs (one step, GET loopback JSON), Postgres ${new URL(url).host}, node ${process.version}`);
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(32)} ${r.runs} runs in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(1)} runs/s   (runs per process: ${r.perProcess.join(", ")})`,
    );
  }
  peer.kill("SIGTERM");
  await stopQueue();
  await closeDb();
}

type BenchWorker = { done: number; stop: () => Promise<void> };

async function startWorker(concurrency: number): Promise<BenchWorker> {
  const child: ChildProcess = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/flows/testing/worker-process.ts"], {
    env: { ...process.env, FLOW_WORKER_CONCURRENCY: String(concurrency), FLOW_WORKER_POLL_SECONDS: "0.5" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const worker: BenchWorker = {
    done: 0,
    stop: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line === "ready") resolve();
      else if (line.includes('"finished"')) worker.done++;
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return worker;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the runs did not finish in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}
