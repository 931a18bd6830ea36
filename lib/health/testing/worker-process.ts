/**
 * A stand-alone health worker process for tests: what one app instance runs for connection health, without
 * the web server. Reads DATABASE_URL and the PLUGBOARD_HEALTH_* settings from the environment; prints
 * "ready", then one JSON line per job.
 *   node --conditions=react-server --import tsx lib/health/testing/worker-process.ts
 */
import { closeDb } from "@/db/client";
import { stopQueue } from "@/lib/jobs";
import { startHealthWorkers, stopHealthWorkers } from "@/lib/health/worker";

await startHealthWorkers({
  pollingIntervalSeconds: 0.5,
  tickIntervalMs: Number(process.env.HEALTH_TICK_MS ?? 200),
  onJobDone: (job, outcome) => process.stdout.write(`${JSON.stringify({ ...job, outcome, pid: process.pid })}\n`),
});
process.stdout.write("ready\n");

let stopping = false;
process.on("SIGTERM", async () => {
  if (stopping) return;
  stopping = true;
  await stopHealthWorkers();
  await stopQueue();
  await closeDb();
  process.exit(0);
});
