/**
 * A stand-alone flow worker process for tests and the benchmark: what one app instance runs, without the
 * web server. Reads DATABASE_URL etc. from the environment; prints "ready", then one JSON line per job.
 *   node --conditions=react-server --import tsx lib/flows/testing/worker-process.ts
 */
import { closeDb } from "@/db/client";
import { stopQueue } from "@/lib/jobs";
import { startFlowWorkers, stopFlowWorkers } from "@/lib/flows/worker";

// Unset, each is the app's own setting (PLUGBOARD_FLOW_WORKERS, PLUGBOARD_FLOW_POLL_SECONDS, a 1 s schedule tick).
const optional = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
await startFlowWorkers({
  concurrency: optional("FLOW_WORKER_CONCURRENCY"),
  pollingIntervalSeconds: optional("FLOW_WORKER_POLL_SECONDS"),
  schedulerIntervalMs: optional("FLOW_WORKER_SCHEDULER_MS"),
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
