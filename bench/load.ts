/**
 * Load case: N concurrent REST `POST /api/v1/requests/run` against a slow loopback server, while a second
 * client measures the sign-in page's latency; reported as a ratio to the idle latency.
 *   npx tsx bench/load.ts        (BENCH_LOAD_RUNS=400, BENCH_LOAD_SLOW_MS=2000, BENCH_LOAD_ROUNDS=3)
 *   BENCH_DATABASE_URL=postgres://…/db   (default: local plugboard_bench_load; it is emptied: local only)
 * It serves the production server (startAppServer: built first when the sources changed) on BENCH_PORT (default 3190), with
 * the app's default outbound limits unless PLUGBOARD_OUTBOUND_* are set. Rounds interleave an idle phase and a
 * load phase; each phase takes BENCH_LOAD_SAMPLES sequential page loads, and the ratio of the medians is
 * reported per round, then as median and range. Everything stays on 127.0.0.1 and is bounded: N runs per
 * round, each upstream answer after a fixed delay, a per-request timeout.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchAppEnv, ensureBenchDatabase, startAppServer } from "./support/app-process";

if (!process.execArgv.includes("--conditions=react-server")) {
  const child = spawn(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_bench_load";
  const RUNS = Math.min(2000, Number(process.env.BENCH_LOAD_RUNS ?? 400));
  const SLOW_MS = Math.min(10_000, Number(process.env.BENCH_LOAD_SLOW_MS ?? 2000));
  const ROUNDS = Math.min(10, Number(process.env.BENCH_LOAD_ROUNDS ?? 3));
  const SAMPLES = Math.min(100, Number(process.env.BENCH_LOAD_SAMPLES ?? 15));
  const port = Number(process.env.BENCH_PORT ?? 3190);
  const appEnv: NodeJS.ProcessEnv = { ...process.env, ...benchAppEnv("load", { port, databaseUrl: url }), PLUGBOARD_WORKERS: "off" };
  Object.assign(process.env, appEnv);

  const { resetDatabase } = await import("../e2e/support/test-database");
  await ensureBenchDatabase(url);
  await resetDatabase(url);
  const { migrateDatabase } = await import("@/db/migrate");
  const { closeDb } = await import("@/db/client");
  const { makeTeamContext } = await import("@/lib/testing/factories");
  const { makeClient, basic } = await import("@/lib/oauth-server/test-helpers");
  await migrateDatabase();
  const ctx = await makeTeamContext("admin");
  const app = await makeClient(ctx, { role: "member", scopes: ["requests:run"] });
  await closeDb();

  const peer = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), "support/bench-server.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [portLine] = (await once(peer.stdout!, "data")) as [Buffer];
  const slowUrl = `http://127.0.0.1:${portLine.toString().trim()}/slow?ms=${SLOW_MS}`;
  // The peer must not outlive a failed benchmark (the app server stops itself on exit: startAppServer).
  process.on("exit", () => peer.kill("SIGTERM"));
  const server = await startAppServer(appEnv, port);
  const { base } = server;
  const stopAll = async () => {
    peer.kill("SIGTERM");
    await server.stop();
  };
  try {
    const tokenRes = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { authorization: basic(app.clientId, app.clientSecret), "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=requests%3Arun",
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    if (!token) throw new Error(`no token: HTTP ${tokenRes.status}`);

    const pageMs = async () => {
      const started = performance.now();
      const res = await fetch(`${base}/sign-in`, { signal: AbortSignal.timeout(60_000) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`sign-in page: HTTP ${res.status}`);
      return performance.now() - started;
    };
    const samples = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(await pageMs());
      return out;
    };
    const runOne = async () => {
      const res = await fetch(`${base}/api/v1/requests/run`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ spec: { url: slowUrl, timeoutSeconds: 120 } }),
        signal: AbortSignal.timeout(180_000),
      });
      await res.arrayBuffer();
      return res.status;
    };

    await samples(5); // warm-up: compile caches, connections
    const rounds: Array<{ idle: number; load: number; ratio: number; statuses: Record<number, number>; loadSeconds: number }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const idle = median(await samples(SAMPLES));
      const started = performance.now();
      const runs = Promise.all(Array.from({ length: RUNS }, runOne));
      await new Promise((r) => setTimeout(r, 200)); // the runs are in
      const load = median(await samples(SAMPLES));
      const statuses: Record<number, number> = {};
      for (const s of await runs) statuses[s] = (statuses[s] ?? 0) + 1;
      rounds.push({ idle, load, ratio: load / idle, statuses, loadSeconds: (performance.now() - started) / 1000 });
    }

    const ratios = rounds.map((r) => r.ratio);
    console.log(
      `\nLoad: ${RUNS} concurrent REST requests:run against a loopback server answering after ${SLOW_MS} ms; sign-in page latency, ${SAMPLES} sequential loads per phase`,
    );
    console.log(
      `Outbound limits: ${process.env.PLUGBOARD_OUTBOUND_MAX_IN_FLIGHT ?? 64} in flight, team share ${process.env.PLUGBOARD_OUTBOUND_TEAM_SHARE ?? 0.5}, queue ${process.env.PLUGBOARD_OUTBOUND_MAX_QUEUED ?? 256}; node ${process.version}`,
    );
    for (const [i, r] of rounds.entries()) {
      const answered = Object.entries(r.statuses)
        .map(([s, n]) => `${n}× ${s}`)
        .join(", ");
      console.log(
        `  round ${i + 1}: idle ${r.idle.toFixed(1)} ms, under load ${r.load.toFixed(1)} ms, ratio ${r.ratio.toFixed(2)}; runs answered ${answered} in ${r.loadSeconds.toFixed(1)} s`,
      );
    }
    console.log(
      `  ratio under load / idle: median ${median(ratios).toFixed(2)}, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    );
  } finally {
    await stopAll();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
