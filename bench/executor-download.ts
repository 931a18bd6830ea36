/**
 * Flat-memory check of lib/http's executor: a binary body streamed to a file, next to plain undici piping
 * the same body to a file, each in a fresh process so its peak RSS is its own; twice each, alternating,
 * because the page cache makes a single disk-bound run noisy. Loopback only; the peer is its own process
 * (bench/support/bench-server.mjs) and never holds the body in memory.
 *   npx tsx bench/executor-download.ts          (1 GiB; BENCH_DOWNLOAD_MIB=64 for a short run, at most 4096)
 * It needs about twice the body size free in the temporary directory for a moment (one file at a time).
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
// react-server condition, so the script restarts itself with it.
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
  const mib = Math.min(4096, Math.max(1, Number(process.env.BENCH_DOWNLOAD_MIB ?? 1024)));
  const size = mib * 1024 * 1024;
  const { port, server } = await startServer();
  const dir = await mkdtemp(path.join(tmpdir(), "plugboard-bench-"));
  try {
    const runs: DownloadRun[] = [];
    for (const round of [1, 2]) {
      for (const client of ["undici", "executor"] as const)
        runs.push({ ...(await runDownloadChild(client, `http://127.0.0.1:${port}/bytes?n=${size}`, dir)), round });
    }
    console.log(`\n${(size / 1024 ** 3).toFixed(2)} GiB body streamed to a file (loopback, Node ${process.version})\n`);
    console.log(
      table(
        ["client (fresh process)", "run", "seconds", "MB/s", "RSS before MB", "peak RSS MB"],
        runs.map((d) => [
          d.client === "executor" ? "executor, binary → file" : "undici request → file",
          d.round,
          d.seconds.toFixed(2),
          (size / 1e6 / d.seconds).toFixed(0),
          d.rssBefore.toFixed(0),
          d.rssPeak.toFixed(0),
        ]),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    server.kill("SIGTERM");
  }
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

/** Child side: one download, sampling RSS every 10 ms, then the figures as JSON. */
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
