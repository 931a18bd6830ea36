/**
 * Bench case "executor": lib/http's executeHttpRequest against plain undici `request` (the library it wraps),
 * a small JSON GET at 32 concurrent to a loopback peer (bench/support/bench-server.mjs). Peer and the two
 * clients are three processes (bench/support/executor-client.ts), so each client's CPU is its own and plain
 * undici runs without lib/http loaded. Each round alternates batches (undici, executor, executor, undici, …)
 * so drift in the machine's load hits both alike; the ratio is executor req/s / undici req/s over the
 * round. Client CPU per request is the client process's CPU time (process.cpuUsage) over its batches.
 *   npx tsx bench/cases/executor.ts      (5 rounds alone; BENCH_EXECUTOR_BATCH=2000 requests per batch)
 * The 1 GiB flat-memory download check is bench/executor-download.ts.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchCase, BenchRoundResult } from "../support/bench-case";
import { runCaseIfMain } from "../support/run-cases";
import type { BatchFigures, BatchOrder } from "../support/executor-client";

const CONCURRENCY = 32;
const BATCH = Math.min(20_000, Math.max(100, Number(process.env.BENCH_EXECUTOR_BATCH ?? 2000)));
const PAIRS_PER_ROUND = 3;
const WARMUP = 2000;
const SUPPORT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "support");

const executorCase: BenchCase = {
  id: "executor",
  ratio: "executeHttpRequest / plain undici, req/s at 32 concurrent (small JSON GET, loopback)",
  better: "higher",
  goal: 0.8,
  async start() {
    const peer = await startPeer();
    const url = `http://127.0.0.1:${peer.port}/small`;
    const undici = await startClient("undici", url);
    const executor = await startClient("executor", url);
    const stop = async () => {
      await Promise.all([undici.stop(), executor.stop()]);
      await peer.stop();
    };
    try {
      // Warm both (JIT, pooled connections) before anything counts.
      await undici.batch(WARMUP);
      await executor.batch(WARMUP);
    } catch (err) {
      await stop();
      throw err;
    }
    return {
      async round(): Promise<BenchRoundResult> {
        const tallies = { undici: emptyTally(), executor: emptyTally() };
        for (let i = 0; i < PAIRS_PER_ROUND; i++) {
          // Which goes first alternates too, so neither always follows the other's garbage.
          const order = i % 2 === 0 ? (["undici", "executor"] as const) : (["executor", "undici"] as const);
          for (const which of order) add(tallies[which], await (which === "undici" ? undici : executor).batch(BATCH));
        }
        const undiciRps = rps(tallies.undici);
        const executorRps = rps(tallies.executor);
        return {
          ratio: executorRps / undiciRps,
          figures: {
            "executor req/s": Math.round(executorRps),
            "undici req/s": Math.round(undiciRps),
            "executor CPU us/req": round1(tallies.executor.cpuUs / tallies.executor.requests),
            "undici CPU us/req": round1(tallies.undici.cpuUs / tallies.undici.requests),
            "executor p50 ms": round3(median(tallies.executor.latencies)),
            "undici p50 ms": round3(median(tallies.undici.latencies)),
          },
        };
      },
      stop,
    };
  },
};

export default executorCase;

type Client = { batch(total: number): Promise<BatchFigures>; stop(): Promise<void> };

async function startClient(which: "undici" | "executor", url: string): Promise<Client> {
  // The client needs tsx (it is TypeScript) and, for lib/http, the react-server condition.
  const execArgv = [...process.execArgv];
  if (!execArgv.includes("--conditions=react-server")) execArgv.push("--conditions=react-server");
  if (!execArgv.some((a) => a.includes("tsx"))) execArgv.push("--import", "tsx");
  const child = fork(path.join(SUPPORT, "executor-client.ts"), [which, url], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`${which} client exited with ${code}`);
  });
  exited.catch(() => {}); // observed by whoever is waiting on the child
  const reply = () => Promise.race([once(child, "message").then(([m]) => m as BatchFigures), exited]);
  await reply(); // { ready: true }
  return {
    async batch(total) {
      const answer = reply();
      child.send({ total, concurrency: CONCURRENCY } satisfies BatchOrder);
      return answer;
    },
    stop: () => stopChild(child, () => child.send({ stop: true } satisfies BatchOrder)),
  };
}

async function startPeer(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = spawn(process.execPath, [path.join(SUPPORT, "bench-server.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    server.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return { port, stop: () => stopChild(server, () => server.kill("SIGTERM")) };
}

async function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  ask();
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

type Tally = BatchFigures;

function emptyTally(): Tally {
  return { requests: 0, elapsedMs: 0, cpuUs: 0, latencies: [] };
}

function add(into: Tally, from: Tally): void {
  into.requests += from.requests;
  into.elapsedMs += from.elapsedMs;
  into.cpuUs += from.cpuUs;
  for (const l of from.latencies) into.latencies.push(l);
}

const rps = (t: Tally) => t.requests / (t.elapsedMs / 1000);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

await runCaseIfMain(import.meta.url, executorCase);
