/**
 * One client of bench/cases/executor.ts, in its own process so that each client's CPU is its own and plain
 * undici runs without lib/http loaded (no diagnostics-channel subscribers, no shared agent pool).
 *   node --conditions=react-server --import tsx bench/support/executor-client.ts <undici|executor> <url>
 * Over IPC it takes { total, concurrency } and answers one batch's figures: { elapsedMs, cpuUs, p50Ms, requests }.
 */
export type BatchOrder = { total: number; concurrency: number } | { stop: true };
export type BatchFigures = { requests: number; elapsedMs: number; cpuUs: number; latencies: number[] };

const [client, url] = process.argv.slice(2);
if (client !== "undici" && client !== "executor") throw new Error(`usage: executor-client.ts <undici|executor> <url>`);
if (!process.send) throw new Error("executor-client.ts runs as a forked child (it needs an IPC channel)");

let send: () => Promise<void>;
let close: () => Promise<void>;
if (client === "undici") {
  const { Agent, request } = await import("undici");
  const agent = new Agent();
  // Reads the whole body as JSON and checks the status: what the executor does for the user.
  send = async () => {
    const res = await request(url, { dispatcher: agent });
    await res.body.json();
    if (res.statusCode !== 200) throw new Error(`undici: HTTP ${res.statusCode}`);
  };
  close = () => agent.close();
} else {
  // lib/http is server-only: this process runs under --conditions=react-server.
  const { closeHttpAgents, executeHttpRequest, parseAllowedHosts } = await import("@/lib/http");
  const allowedTargets = parseAllowedHosts(new URL(url).hostname);
  send = async () => {
    const r = await executeHttpRequest({ url }, { allowedTargets });
    if (!r.ok || r.status !== 200) throw new Error(`executor: ${r.ok ? r.status : r.message}`);
  };
  close = closeHttpAgents;
}

process.on("message", (order: BatchOrder) => {
  if ("stop" in order) {
    void close().then(() => process.disconnect());
    return;
  }
  batch(order.total, order.concurrency).then(
    (figures) => process.send?.(figures),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
process.send({ ready: true });

/** `total` requests from `concurrency` workers: elapsed time, this process's CPU, each request's latency. */
async function batch(total: number, concurrency: number): Promise<BatchFigures> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await send();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { requests: total, elapsedMs, cpuUs: used.user + used.system, latencies };
}
