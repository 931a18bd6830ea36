/**
 * A stand-alone flow worker process for tests and the benchmark: what one app instance runs, without the
 * web server. Reads DATABASE_URL etc. from the environment; prints "ready", then one JSON line per job.
 *   node --conditions=react-server --import tsx lib/flows/testing/worker-process.ts
 */
import { closeDb } from "@/db/client";
import { stopQueue } from "@/lib/jobs";
import { startFlowWorkers, stopFlowWorkers } from "@/lib/flows/worker";

const concurrency = Number(process.env.FLOW_WORKER_CONCURRENCY ?? 4);
await startFlowWorkers({
  concurrency,
  pollingIntervalSeconds: Number(process.env.FLOW_WORKER_POLL_SECONDS ?? 0.5),
  schedulerIntervalMs: Number(process.env.FLOW_WORKER_SCHEDULER_MS ?? 60_000),
  onRunDone: (runId, outcome) => process.stdout.write(`${JSON.stringify({ runId, outcome, pid: process.pid })}\n`),
});
process.stdout.write("ready\n");

let stopping = false;
process.on("SIGTERM", async () => {
  if (stopping) return;
  stopping = true;
  await stopFlowWorkers();
  await stopQueue();
  await closeDb();
  process.exit(0);
});
