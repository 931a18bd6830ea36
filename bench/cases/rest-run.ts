/**
 * REST run end to end: `POST /api/v1/requests/run` (bearer token, an API-key connection, history and audit
 * written) on the production build, against plain undici requests to the same loopback upstream, both at
 * 32 concurrent and interleaved inside each round. Run alone: `npx tsx bench/cases/rest-run.ts`.
 *   BENCH_REST_DATABASE_URL (default local plugboard_bench_rest; it is emptied: local only), BENCH_REST_PORT (3191),
 *   BENCH_REST_N (REST requests per round, 1000), BENCH_REST_UNDICI_N (undici requests per round, 10000),
 *   BENCH_REST_WARMUP_N (REST requests before the first round, 10000).
 * Server CPU per request is the utime+stime delta of the server's process group (/proc; it runs detached, its children in its group) over the REST phase,
 * Postgres's the same for its backends serving the bench database, the bench client's its own (the 32 undici clients);
 * "Next.js route floor" is the same for as many requests for the metadata document (a route handler with no
 * database or upstream work), after the two measured phases: what Next.js itself takes per request.
 */
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Agent, request } from "undici";
import type { BenchCase, BenchRoundResult } from "../support/bench-case";
import { benchAppEnv, ensureBenchDatabase, postgresBackendsCpuMs, startAppServer } from "../support/app-process";
import { runCaseIfMain } from "../support/run-cases";

const CONCURRENCY = 32;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const restRun: BenchCase = {
  id: "rest-run",
  ratio: "REST requests/run / plain undici, req/s at 32 concurrent (same loopback upstream)",
  better: "higher",
  goal: 0.06,
  async start() {
    const url = process.env.BENCH_REST_DATABASE_URL ?? "postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_bench_rest";
    const port = Number(process.env.BENCH_REST_PORT ?? 3191);
    const restN = Math.min(10_000, Number(process.env.BENCH_REST_N ?? 1000));
    const undiciN = Math.min(100_000, Number(process.env.BENCH_REST_UNDICI_N ?? 10_000));
    const warmupN = Math.min(50_000, Number(process.env.BENCH_REST_WARMUP_N ?? 10_000));
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...benchAppEnv("rest", { port, databaseUrl: url }),
      PLUGBOARD_WORKERS: "off",
      NODE_ENV: "production",
    };
    const peer = spawn(process.execPath, [path.join(root, "bench/support/bench-server.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
    const [portLine] = (await once(peer.stdout!, "data")) as [Buffer];
    const upstream = `http://127.0.0.1:${portLine.toString().trim()}`;
    process.once("exit", () => peer.kill("SIGTERM"));
    await ensureBenchDatabase(url);
    const seed = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "bench/support/rest-run-seed.ts"], {
      cwd: root,
      env: { ...appEnv, BENCH_UPSTREAM: upstream },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (seed.status !== 0) throw new Error("seeding the bench database failed");
    const seeded = JSON.parse(seed.stdout.trim().split("\n").pop() ?? "") as { clientId: string; clientSecret: string; connectionId: string };

    const server = await startAppServer(appEnv, port).catch((error: unknown) => {
      peer.kill("SIGTERM");
      throw error;
    });
    const stopAll = async () => {
      peer.kill("SIGTERM");
      await server.stop();
    };
    const { base } = server;
    const appAgent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
    const upstreamAgent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
    try {
      const tokenRes = await request(`${base}/oauth2/token`, {
        method: "POST",
        dispatcher: appAgent,
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(seeded.clientId)}:${encodeURIComponent(seeded.clientSecret)}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials&scope=requests%3Arun",
      });
      const { access_token: token } = (await tokenRes.body.json()) as { access_token?: string };
      if (!token) throw new Error(`no token: HTTP ${tokenRes.statusCode}`);
      const runBody = JSON.stringify({ connectionId: seeded.connectionId, spec: { method: "GET", url: `${upstream}/small` } });
      const restOnce = async () => {
        const res = await request(`${base}/api/v1/requests/run`, {
          method: "POST",
          dispatcher: appAgent,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: runBody,
        });
        const out = (await res.body.json()) as { ok?: boolean; status?: number };
        if (res.statusCode !== 200 || !out.ok || out.status !== 200)
          throw new Error(`REST run: HTTP ${res.statusCode} ${JSON.stringify(out).slice(0, 300)}`);
      };
      const floorOnce = async () => {
        const res = await request(`${base}/.well-known/oauth-authorization-server`, { dispatcher: appAgent });
        const text = await res.body.text();
        if (res.statusCode !== 200 || !text.includes("token_endpoint")) throw new Error(`metadata: HTTP ${res.statusCode}`);
      };
      const undiciOnce = async () => {
        const res = await request(`${upstream}/small`, { dispatcher: upstreamAgent });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) throw new Error(`upstream: HTTP ${res.statusCode}`);
      };
      const stats = new pg.Client({ connectionString: url });
      await stats.connect();
      const commits = async () =>
        Number((await stats.query("select xact_commit from pg_stat_database where datname = current_database()")).rows[0].xact_commit);

      // Warm-up until the server's CPU per run is steady: with 200 runs of warm-up the rounds that followed
      // measured 2.65, 1.45, 1.24, 1.08 and 0.95 ms of server CPU per run on an idle machine (V8 still
      // optimising the path; Postgres's fresh backends and the client too), so the median was a cold figure.
      // Then a calibration of transactions per request: Postgres publishes a backend's counters up to 10 s
      // after it goes idle, so this waits once instead of every round.
      await runConcurrently(warmupN, restOnce);
      await runConcurrently(restN, floorOnce);
      await runConcurrently(2000, undiciOnce);
      await sleep(11_000);
      const commitsBefore = await commits();
      const calibrationN = 200;
      await runConcurrently(calibrationN, restOnce);
      await sleep(11_000);
      const xactPerRequest = ((await commits()) - commitsBefore - 1) / calibrationN;

      let roundNo = 0;
      const round = async (): Promise<BenchRoundResult> => {
        roundNo++;
        const rest = async () => {
          const cpuBefore = server.cpuMs();
          const databaseCpuBefore = postgresBackendsCpuMs(url);
          const clientCpuBefore = process.cpuUsage();
          const seconds = await runConcurrently(restN, restOnce);
          const client = process.cpuUsage(clientCpuBefore);
          return {
            rps: restN / seconds,
            cpuMsPerRequest: (server.cpuMs() - cpuBefore) / restN,
            databaseCpuMsPerRequest: (postgresBackendsCpuMs(url) - databaseCpuBefore) / restN,
            clientCpuMsPerRequest: (client.user + client.system) / 1000 / restN,
          };
        };
        const plain = async () => undiciN / (await runConcurrently(undiciN, undiciOnce));
        // The floor of any route here: Next.js answering its metadata document (no database, no upstream).
        const floor = async () => {
          const cpuBefore = server.cpuMs();
          await runConcurrently(restN, floorOnce);
          return (server.cpuMs() - cpuBefore) / restN;
        };
        let restResult: Awaited<ReturnType<typeof rest>>;
        let undiciRps: number;
        if (roundNo % 2) {
          restResult = await rest();
          undiciRps = await plain();
        } else {
          undiciRps = await plain();
          restResult = await rest();
        }
        return {
          ratio: restResult.rps / undiciRps,
          figures: {
            "REST req/s": Math.round(restResult.rps),
            "undici req/s": Math.round(undiciRps),
            "server CPU ms/req": round2(restResult.cpuMsPerRequest),
            "Postgres CPU ms/req": round2(restResult.databaseCpuMsPerRequest),
            "bench client CPU ms/req": round2(restResult.clientCpuMsPerRequest),
            "DB xact/req": round2(xactPerRequest),
            "Next.js route floor CPU ms/req": round2(await floor()),
          },
        };
      };
      const stop = async () => {
        await stats.end();
        await appAgent.close();
        await upstreamAgent.close();
        await stopAll();
      };
      return { round, stop };
    } catch (error) {
      await stopAll();
      throw error;
    }
  },
};

export default restRun;

/** Runs `total` calls with at most CONCURRENCY in flight; returns the wall time in seconds. */
async function runConcurrently(total: number, once: () => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
  return (performance.now() - started) / 1000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round2 = (n: number) => Math.round(n * 100) / 100;

await runCaseIfMain(import.meta.url, restRun);
