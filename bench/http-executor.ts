/**
 * Benchmark of lib/http's executor against plain undici `request`, on loopback only.
 *   npx tsx bench/http-executor.ts            (about a minute; BENCH_QUICK=1 for a short run)
 * Measures latency p50/p99 and throughput (sequential and concurrent) and peak RSS while a 1 GiB binary
 * body streams to a file. The peer runs in its own process (bench/support/bench-server.mjs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

// lib/http marks itself server-only; outside Next.js that marker resolves to a no-op only under the
// react-server condition, so the benchmark restarts itself with it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const child = spawn(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 1));
} else if (process.argv.includes("--download")) {
  await downloadChild();
} else {
  await main();
}

type DownloadRun = { client: "undici" | "executor"; round: number; seconds: number; rssBefore: number; rssPeak: number };

async function main() {
  const { Agent, request } = await import("undici");
  const { closeHttpAgents, executeHttpRequest, parseAllowedHosts } = await import("@/lib/http");
  const quick = process.env.BENCH_QUICK === "1";
  const SEQ = quick ? 300 : 3000;
  const CONC_TOTAL = quick ? 1000 : 10_000;
  const CONCURRENCY = 32;
  const DOWNLOAD = (quick ? 64 : 1024) * 1024 * 1024;

  const { port, server } = await startServer();
  const base = `http://127.0.0.1:${port}`;
  const allowedTargets = parseAllowedHosts("127.0.0.1");
  const agent = new Agent();
  const dir = await mkdtemp(path.join(tmpdir(), "plugboard-bench-"));

  const viaUndici = async () => {
    const res = await request(`${base}/small`, { dispatcher: agent });
    await res.body.json();
    if (res.statusCode !== 200) throw new Error(`undici: HTTP ${res.statusCode}`);
  };
  const viaExecutor = async () => {
    const r = await executeHttpRequest({ url: `${base}/small` }, { allowedTargets });
    if (!r.ok || r.status !== 200) throw new Error(`executor: ${r.ok ? r.status : r.message}`);
  };

  try {
    // Each download runs in a fresh process so its peak RSS is its own; twice each, alternating, because
    // the page cache makes a single disk-bound run noisy.
    const downloads: DownloadRun[] = [];
    for (const round of [1, 2]) {
      for (const client of ["undici", "executor"] as const)
        downloads.push({ ...(await runDownloadChild(client, `${base}/bytes?n=${DOWNLOAD}`, dir)), round });
    }

    await sequential(viaUndici, 200);
    await sequential(viaExecutor, 200);
    const rows = [
      { name: "undici request, sequential", ...(await sequential(viaUndici, SEQ)) },
      { name: "executor, sequential", ...(await sequential(viaExecutor, SEQ)) },
      { name: `undici request, ${CONCURRENCY} concurrent`, ...(await concurrent(viaUndici, CONC_TOTAL, CONCURRENCY)) },
      { name: `executor, ${CONCURRENCY} concurrent`, ...(await concurrent(viaExecutor, CONC_TOTAL, CONCURRENCY)) },
    ];

    console.log(`\nHTTP executor benchmark: loopback, Node ${process.version}, small JSON GET\n`);
    console.log(
      table(
        ["case", "requests", "p50 ms", "p99 ms", "req/s"],
        rows.map((r) => [r.name, r.n, r.p50.toFixed(3), r.p99.toFixed(3), r.rps.toFixed(0)]),
      ),
    );
    console.log(`\n${(DOWNLOAD / 1024 ** 3).toFixed(2)} GiB body streamed to a file\n`);
    console.log(
      table(
        ["client (fresh process)", "run", "seconds", "MB/s", "RSS before MB", "peak RSS MB"],
        downloads.map((d) => [
          d.client === "executor" ? "executor, binary → file" : "undici request → file",
          d.round,
          d.seconds.toFixed(2),
          (DOWNLOAD / 1e6 / d.seconds).toFixed(0),
          d.rssBefore.toFixed(0),
          d.rssPeak.toFixed(0),
        ]),
      ),
    );
  } finally {
    await agent.close();
    await closeHttpAgents();
    await rm(dir, { recursive: true, force: true });
    server.kill("SIGTERM");
  }
}

async function sequential(fn: () => Promise<void>, n: number) {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return summarize(times, performance.now() - started);
}

async function concurrent(fn: () => Promise<void>, total: number, workers: number) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
    }),
  );
  return summarize(times, performance.now() - started);
}

function summarize(times: number[], elapsedMs: number) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: times.length, p50: at(0.5), p99: at(0.99), rps: times.length / (elapsedMs / 1000) };
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

function startServer(): Promise<{ port: number; server: ChildProcess }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "bench-server.mjs");
  const server = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    server.stdout?.once("data", (d: Buffer) => resolve({ port: Number(d.toString().trim()), server }));
  });
}

/** Runs one download in a child process and reads its figures from stdout. */
async function runDownloadChild(client: "undici" | "executor", url: string, dir: string): Promise<Omit<DownloadRun, "round">> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], "--download", client, url, dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number];
  if (code !== 0) throw new Error(`download child (${client}) exited with ${code}`);
  return { client, ...JSON.parse(out) };
}

/** Child side: one 1 GiB download, sampling RSS every 10 ms, then the figures as JSON. */
async function downloadChild() {
  const [client, url, dir] = process.argv.slice(process.argv.indexOf("--download") + 1);
  const { Agent, request } = await import("undici");
  const { closeHttpAgents, executeHttpRequest, parseAllowedHosts } = await import("@/lib/http");
  const expected = Number(new URL(url).searchParams.get("n"));
  const rssBefore = process.memoryUsage.rss() / 1e6;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss() / 1e6)), 10);
  const started = performance.now();
  let file: string;
  if (client === "executor") {
    const r = await executeHttpRequest(
      { url, responseType: "binary", timeoutSeconds: 300 },
      { allowedTargets: parseAllowedHosts("127.0.0.1"), downloadDir: dir, maxFileBytes: 4 * expected },
    );
    if (!r.ok || r.body.type !== "file") throw new Error(`executor download: ${r.ok ? r.body.type : r.message}`);
    file = r.body.path;
  } else {
    const agent = new Agent();
    file = path.join(dir, "undici.bin");
    const res = await request(url, { dispatcher: agent });
    await pipeline(res.body, createWriteStream(file));
    await agent.close();
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss() / 1e6, process.resourceUsage().maxRSS / 1e3);
  const size = (await stat(file)).size;
  await rm(file);
  await closeHttpAgents();
  if (size !== expected) throw new Error(`${client}: wrote ${size} bytes, expected ${expected}`);
  process.stdout.write(JSON.stringify({ seconds, rssBefore, rssPeak }));
}
