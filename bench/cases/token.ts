/**
 * `/oauth2/token` client_credentials: Plugboard's production server against a reference authorization
 * server (oidc-provider, the tests' OAuth peer, in its own process) on the same machine. Each round
 * alternates the two twice, each phase BENCH_TOKEN_PHASE_MS long with 16 concurrent clients asking for
 * tokens back to back; ratio = Plugboard tokens/s / reference tokens/s.
 * Figures: both tokens/s, server CPU ms per token of each (utime+stime from /proc of each server's process group: both run detached,
 * so a process and its children), Postgres's CPU per Plugboard token (its backends for the bench database, /proc), and Plugboard's database round trips per token (counted by a proxy in front
 * of Postgres: one per Sync or simple Query message, on a first server run for a second before the measured one
 * starts, so the proxy's relaying is not in the measured path). Once per round the same clients ask Plugboard for its
 * metadata document (a route handler with no database work): the CPU Next.js itself takes per request.
 *   npx tsx bench/cases/token.ts     (alone: 5 rounds; BENCH_TOKEN_DATABASE_URL, BENCH_TOKEN_PORT=3192)
 * The database (default: local plugboard_bench_token) is emptied: local only.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { BenchCase, BenchRoundResult } from "../support/bench-case";
import { type AppServer, benchAppEnv, postgresBackendsCpuMs, processGroupCpuMs, startAppServer } from "../support/app-process";
import { runCaseIfMain } from "../support/run-cases";
import { startRoundTripCounter, type RoundTripCounter } from "../support/pg-round-trips";

const CONCURRENCY = 16;
const PHASE_MS = Math.min(10_000, Number(process.env.BENCH_TOKEN_PHASE_MS ?? 1500));

type Target = { url: string; authorization: string; body: string; pid: number };
/** A request whose answer must contain `expect`: a token, or the floor's metadata document. */
type Probe = { url: string; pid: number; databaseUrl?: string; send(): Promise<void> };
type Phase = { tokens: number; seconds: number; cpuMs: number; databaseCpuMs: number };

const tokenCase: BenchCase = {
  id: "token",
  ratio: "/oauth2/token client_credentials / oidc-provider, tokens/s at 16 concurrent",
  better: "higher",
  // Issue 13: 4x today's throughput. Before the one-statement token (commit 4ec4c1c) this case measured a
  // median ratio of 0.126 [0.085..0.155] on the project's 2-core machine (load average about 20).
  goal: 0.5,
  async start() {
    const databaseUrl = process.env.BENCH_TOKEN_DATABASE_URL ?? "postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_bench_token";
    const port = Number(process.env.BENCH_TOKEN_PORT ?? 3192);
    const servers: AppServer[] = [];
    let reference: ChildProcess | undefined;
    let counter: RoundTripCounter | undefined;
    const stop = async () => {
      const stopReference = async (child = reference) => {
        if (!child?.pid || child.exitCode !== null) return;
        const exited = once(child, "exit");
        process.kill(-child.pid, "SIGTERM");
        await exited;
      };
      // The counting server's pool connections go through the counter: close it only once the server is gone.
      await Promise.race([Promise.all([stopReference(), ...servers.map((server) => server.stop())]), new Promise((r) => setTimeout(r, 10_000))]);
      await counter?.close();
    };
    process.once("exit", () => void stop());
    const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...benchAppEnv("token", { port, databaseUrl }), PLUGBOARD_WORKERS: "off" };
    try {
      const seed = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/support/token-seed.ts"], {
        env: { ...baseEnv, DATABASE_URL: databaseUrl },
        stdio: ["ignore", "pipe", "inherit"],
      });
      if (seed.status !== 0) throw new Error("seeding the token bench database failed");
      const app = JSON.parse(seed.stdout.toString().trim().split("\n").pop() ?? "") as { clientId: string; clientSecret: string };

      // Round trips are counted by a proxy in front of Postgres, on a first server that then stops: the
      // proxy relays every byte through this process (CPU the 2 cores share), so the measured server talks
      // to Postgres directly, as a deployment does.
      const pg = new URL(databaseUrl);
      counter = await startRoundTripCounter({ host: pg.hostname, port: Number(pg.port || 5432) });
      const viaCounter = new URL(databaseUrl);
      viaCounter.port = String(counter.port);
      const startServer = async (url: string) => {
        const server = await startAppServer({ ...baseEnv, NODE_ENV: "production", DATABASE_URL: url }, port);
        servers.push(server);
        const target: Target = {
          url: `${server.base}/oauth2/token`,
          authorization: basic(app.clientId, app.clientSecret),
          body: "grant_type=client_credentials&scope=requests%3Arun",
          pid: server.pid,
        };
        await waitForToken(target);
        return { server, target };
      };
      const counted = await startServer(viaCounter.href);
      await runPhase(tokenProbe(counted.target), 1000);
      const tripsBefore = counter.roundTrips();
      const calibration = await runPhase(tokenProbe(counted.target), 1000);
      const roundTripsPerToken = (counter.roundTrips() - tripsBefore) / calibration.tokens;
      await counted.server.stop();
      servers.splice(servers.indexOf(counted.server), 1);
      await counter.close();
      counter = undefined;

      const { server, target: plugboard } = await startServer(databaseUrl);
      reference = spawn(process.execPath, ["--import", "tsx", "e2e/support/oauth-test-server.ts", "--port", "0", "--access-token-ttl", "899"], {
        stdio: ["ignore", "pipe", "inherit"],
        detached: true,
      });
      const [line] = (await once(reference.stdout!, "data")) as [Buffer];
      const ref = JSON.parse(line.toString().trim()) as {
        tokenUrl: string;
        clients: { clientCredentialsBasic: { clientId: string; clientSecret: string } };
      };
      const reference_: Target = {
        url: ref.tokenUrl,
        authorization: basic(ref.clients.clientCredentialsBasic.clientId, ref.clients.clientCredentialsBasic.clientSecret),
        body: "grant_type=client_credentials&scope=read%3Athings",
        pid: reference.pid!,
      };
      await waitForToken(reference_);
      // Warm-up: JIT, connection pools, Next's route caches.
      const ours = tokenProbe(plugboard, databaseUrl);
      const theirs = tokenProbe(reference_);
      const floor = floorProbe(server.base, server.pid);
      await runPhase(ours, 2000);
      await runPhase(theirs, 2000);
      await runPhase(floor, 1000);

      return {
        async round(): Promise<BenchRoundResult> {
          const oursPhases: Phase[] = [];
          const theirPhases: Phase[] = [];
          for (let i = 0; i < 2; i++) {
            oursPhases.push(await runPhase(ours, PHASE_MS));
            theirPhases.push(await runPhase(theirs, PHASE_MS));
          }
          const floorPhase = await runPhase(floor, PHASE_MS);
          const sum = (phases: Phase[], key: keyof Phase) => phases.reduce((total, p) => total + p[key], 0);
          const oursRate = sum(oursPhases, "tokens") / sum(oursPhases, "seconds");
          const theirsRate = sum(theirPhases, "tokens") / sum(theirPhases, "seconds");
          return {
            ratio: oursRate / theirsRate,
            figures: {
              "tokens/s": round1(oursRate),
              "reference tokens/s": round1(theirsRate),
              "server CPU ms/token": round2(sum(oursPhases, "cpuMs") / sum(oursPhases, "tokens")),
              "reference CPU ms/token": round2(sum(theirPhases, "cpuMs") / sum(theirPhases, "tokens")),
              "Postgres CPU ms/token": round2(sum(oursPhases, "databaseCpuMs") / sum(oursPhases, "tokens")),
              "DB round trips/token": round2(roundTripsPerToken),
              "Next.js route floor CPU ms/req": round2(floorPhase.cpuMs / floorPhase.tokens),
              "floor req/s": round1(floorPhase.tokens / floorPhase.seconds),
            },
          };
        },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};

export default tokenCase;

function basic(clientId: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

function tokenProbe(target: Target, databaseUrl?: string): Probe {
  return { url: target.url, pid: target.pid, databaseUrl, send: () => requestToken(target).then(() => undefined) };
}

/**
 * The floor of any route in the app: Next.js serving a route handler that only answers JSON (the
 * authorization server metadata, no database), at the same concurrency. What a token costs above it is ours.
 */
function floorProbe(base: string, pid: number): Probe {
  const url = `${base}/.well-known/oauth-authorization-server`;
  return {
    url,
    pid,
    async send() {
      // identity: Next.js would gzip this 1.5 KB answer (not the token answer, under its 1 KB threshold).
      const res = await fetch(url, { headers: { "accept-encoding": "identity" }, signal: AbortSignal.timeout(30_000) });
      const body = await res.text();
      if (res.status !== 200 || !body.includes("token_endpoint")) throw new Error(`${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
    },
  };
}

async function requestToken(target: Target): Promise<number> {
  const res = await fetch(target.url, {
    method: "POST",
    headers: { authorization: target.authorization, "content-type": "application/x-www-form-urlencoded" },
    body: target.body,
    signal: AbortSignal.timeout(30_000),
  });
  const body = await res.text();
  if (res.status !== 200 || !body.includes("access_token")) throw new Error(`${target.url}: HTTP ${res.status} ${body.slice(0, 200)}`);
  return res.status;
}

/** CONCURRENCY clients sending back to back for `ms`; counts answers (tokens), the server's CPU and its database's. */
async function runPhase(target: Probe, ms: number): Promise<Phase> {
  const databaseCpu = () => (target.databaseUrl ? postgresBackendsCpuMs(target.databaseUrl) : 0);
  const cpuBefore = processGroupCpuMs(target.pid);
  const databaseCpuBefore = databaseCpu();
  const started = performance.now();
  const deadline = started + ms;
  let tokens = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await target.send();
        tokens++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { tokens, seconds, cpuMs: processGroupCpuMs(target.pid) - cpuBefore, databaseCpuMs: databaseCpu() - databaseCpuBefore };
}

async function waitForToken(target: Target, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await requestToken(target);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

await runCaseIfMain(import.meta.url, tokenCase);
