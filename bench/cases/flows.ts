/**
 * Flows with the app's default settings: one app instance's flow workers (a worker process started as
 * instrumentation.ts starts them: PLUGBOARD_FLOW_WORKERS, PLUGBOARD_FLOW_POLL_SECONDS, flows with their
 * default limit of one run at a time) drain a burst of queued one-step runs (GET a loopback JSON document),
 * 16 flows × 10 runs, queued while the worker process is paused. The baseline is the work a run exists to do: the same GET through the executor
 * (lib/http), as many at once as there are workers, in this process. So the ratio is the share of the
 * executor's throughput the queue, the run records, the per-flow limit and the audit leave; it holds
 * across machines. Each round: half the executor calls, the burst, the other half.
 * Figures: runs/s (first start to last finish, from the runs' own timestamps), executor calls/s, worker
 * CPU per run (/proc), and the time from queueing a single run (on another instance) to its finish,
 * which is where the poll interval shows.
 *   npx tsx bench/cases/flows.ts    (PLUGBOARD_FLOW_WORKERS / PLUGBOARD_FLOW_POLL_SECONDS to try other settings)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { BenchCase } from "../support/bench-case";
import { runCaseIfMain } from "../support/run-cases";

const FLOWS = 16;
const RUNS_PER_FLOW = 10;
const SINGLE_RUNS = 3;

const flows: BenchCase = {
  id: "flows",
  ratio: "queued one-step flow runs/s with the default workers / the same GET through the executor at as many at once",
  better: "higher",
  async start() {
    const { benchAppEnv, freshBenchDatabase, processGroupCpuMs, startPeer } = await import("../support/app-process");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "plugboard-bench-flows-"));
    // No port: the flow workers run without the web server, as in an instance's process.
    const env = benchAppEnv("flows", { port: 3195, dataDir });
    Object.assign(process.env, env);
    await freshBenchDatabase(env.DATABASE_URL, env.PLUGBOARD_JOBS_SCHEMA);

    const { migrateDatabase } = await import("@/db/migrate");
    const { getDb, closeDb } = await import("@/db/client");
    const { flowRuns } = await import("@/db/schema");
    const { and, inArray, sql } = await import("drizzle-orm");
    const { makeTeamContext } = await import("@/lib/testing/factories");
    const { makeFlow, step } = await import("@/lib/flows/testing/helpers");
    const { startFlowRun } = await import("@/lib/flows/runs");
    const { stopQueue } = await import("@/lib/jobs");
    const { getFlowWorkerSettings } = await import("@/lib/config/env");
    const { executeHttpRequest, parseAllowedHosts, closeHttpAgents } = await import("@/lib/http");
    const { requestSpecSchema } = await import("@/lib/http/spec");
    await migrateDatabase();
    const db = await getDb();
    const settings = getFlowWorkerSettings();

    const peer = await startPeer();
    const stops: Array<() => Promise<unknown>> = [
      () => rm(dataDir, { recursive: true, force: true }),
      peer.stop,
      closeDb,
      stopQueue,
      closeHttpAgents,
    ];
    const stop = async () => {
      for (const s of stops.reverse()) await s().catch(() => {});
    };
    try {
      const ctx = await makeTeamContext();
      const url = `${peer.base}/small`;
      const flowIds: string[] = [];
      for (let i = 0; i < FLOWS; i++) flowIds.push((await makeFlow(db, ctx, { steps: [step("fetch", { url })] })).id);
      const worker = await startWorkerProcess();
      stops.push(worker.stop);

      const finished = (ids: string[]) =>
        db
          .select({ n: sql<number>`count(*)::int` })
          .from(flowRuns)
          .where(and(inArray(flowRuns.id, ids), inArray(flowRuns.status, ["succeeded", "failed"])))
          .then(([row]) => row.n);
      const waitFor = async (ids: string[], timeoutMs = 300_000) => {
        const deadline = Date.now() + timeoutMs;
        while ((await finished(ids)) < ids.length) {
          if (Date.now() > deadline)
            throw new Error(`${ids.length - (await finished(ids))} of ${ids.length} runs did not finish in ${timeoutMs / 1000} s`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const queue = async (flowId: string, i: number) => (await startFlowRun(db, ctx, { flowId, input: { i }, trigger: "manual" }))!.runId;

      const burst = async () => {
        // The worker process is paused while the burst is queued, so the runs/s are the workers', not the queueing's.
        const ids: string[] = [];
        worker.pause();
        try {
          for (let r = 0; r < RUNS_PER_FLOW; r++) for (const flowId of flowIds) ids.push(await queue(flowId, r));
        } finally {
          worker.resume();
        }
        const cpuBefore = worker.cpuMs();
        await waitFor(ids);
        const cpuMs = worker.cpuMs() - cpuBefore;
        const [span] = await db
          .select({
            first: sql<string>`min(${flowRuns.startedAt})`,
            last: sql<string>`max(${flowRuns.finishedAt})`,
            failed: sql<number>`count(*) filter (where ${flowRuns.status} <> 'succeeded')::int`,
          })
          .from(flowRuns)
          .where(inArray(flowRuns.id, ids));
        if (span.failed) throw new Error(`${span.failed} of ${ids.length} runs failed`);
        const seconds = (new Date(span.last).getTime() - new Date(span.first).getTime()) / 1000;
        return { perSecond: ids.length / seconds, cpuMsPerRun: cpuMs / ids.length };
      };
      const singleRunMs = async () => {
        const times: number[] = [];
        for (let i = 0; i < SINGLE_RUNS; i++) {
          const started = performance.now();
          const id = await queue(flowIds[i % flowIds.length], -1);
          await waitFor([id], 60_000);
          times.push(performance.now() - started);
        }
        return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
      };

      const spec = requestSpecSchema.parse({ url, timeoutSeconds: 20 });
      const allowedTargets = parseAllowedHosts(env.PLUGBOARD_ALLOWED_HOSTS);
      const direct = async (calls: number) => {
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: settings.flowWorkers }, async () => {
            while (next++ < calls) {
              const result = await executeHttpRequest(spec, { allowedTargets });
              if (!result.ok) throw new Error(`executor: ${result.message}`);
            }
          }),
        );
        return calls / ((performance.now() - started) / 1000);
      };

      await burst(); // warm-up: connections, JIT, queue tables
      await direct(FLOWS * RUNS_PER_FLOW);
      return {
        async round() {
          const calls = (FLOWS * RUNS_PER_FLOW) / 2;
          const before = await direct(calls);
          const runs = await burst();
          const after = await direct(calls);
          const executorPerSecond = 2 / (1 / before + 1 / after);
          const latency = await singleRunMs();
          return {
            ratio: runs.perSecond / executorPerSecond,
            figures: {
              "runs/s": runs.perSecond,
              "executor calls/s": executorPerSecond,
              "worker CPU ms/run": runs.cpuMsPerRun,
              "queued-to-finished ms (one run)": latency,
              workers: settings.flowWorkers,
              "poll s": settings.flowPollSeconds,
            },
          };
        },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }

    /** One app instance's flow workers without the web server, in its own process group (its CPU from /proc). */
    async function startWorkerProcess() {
      const child: ChildProcess = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/flows/testing/worker-process.ts"], {
        env: { ...process.env, FLOW_WORKER_CONCURRENCY: "", FLOW_WORKER_POLL_SECONDS: "", FLOW_WORKER_SCHEDULER_MS: "" },
        stdio: ["ignore", "pipe", "inherit"],
        detached: true,
      });
      const pid = child.pid!;
      const exited = once(child, "exit");
      process.once("exit", () => child.kill("SIGTERM"));
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on("line", (line) => {
          if (line === "ready") resolve();
        });
        child.once("exit", (code) => reject(new Error(`the worker process exited with ${code}`)));
      });
      return {
        cpuMs: () => processGroupCpuMs(pid),
        pause: () => process.kill(pid, "SIGSTOP"),
        resume: () => process.kill(pid, "SIGCONT"),
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          await exited;
        },
      };
    }
  },
};

export default flows;
await runCaseIfMain(import.meta.url, flows);
