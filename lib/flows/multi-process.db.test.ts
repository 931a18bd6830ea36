import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { flowRuns } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import { startFlowRun, startFlowWorkers, stopFlowWorkers } from "./index";
import { isolateQueue, makeFlow, step, waitForStatus } from "./testing/helpers";

/**
 * Several app instances on one Postgres: worker processes share the queue, no run executes twice, and a
 * run whose process is killed is marked failed by a surviving instance. PGlite is one process by design.
 */
const postgres = process.env.PLUGBOARD_TEST_DB === "postgres";

let server: http.Server;
let base: string;
const hits = new Map<string, number>();
const children: ChildProcess[] = [];

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("multiprocess");
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const n = url.searchParams.get("n") ?? "";
    hits.set(n, (hits.get(n) ?? 0) + 1);
    const delay = url.pathname === "/slow" ? 30_000 : 50;
    const timer = setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ n }));
    }, delay);
    res.on("close", () => clearTimeout(timer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await stopFlowWorkers();
  await stopQueue();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

type Worker = { child: ChildProcess; done: string[]; exited: Promise<void> };

/** Starts a worker process (one app instance without its web server) and waits until it polls. */
async function startWorker(concurrency: number): Promise<Worker> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/flows/testing/worker-process.ts"], {
    env: { ...process.env, FLOW_WORKER_CONCURRENCY: String(concurrency), FLOW_WORKER_POLL_SECONDS: "0.5" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const done: string[] = [];
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line === "ready") return resolve();
      if (line.startsWith("{")) {
        const event = JSON.parse(line) as { runId: string; outcome: string };
        if (event.outcome === "finished") done.push(event.runId);
      }
    });
    child.once("exit", (code) => reject(new Error(`worker process exited with ${code} before it was ready`)));
  });
  return { child, done, exited };
}

describe.skipIf(!postgres)("two app instances on one database", () => {
  it("share 50 queued runs and run none twice", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const [a, b] = await Promise.all([startWorker(4), startWorker(4)]);
    const { id: flowId } = await makeFlow(db, ctx, { maxConcurrentRuns: 50, steps: [step("hit", { url: `${base}/hit?n={{input.n}}` })] });
    const runIds: string[] = [];
    for (let n = 0; n < 50; n++) runIds.push((await startFlowRun(db, ctx, { flowId, input: { n }, trigger: "manual" }))!.runId);
    try {
      for (const id of runIds) await waitForStatus(db, id, ["succeeded", "failed"], 60_000);

      const runs = await db.select().from(flowRuns).where(inArray(flowRuns.id, runIds));
      expect(runs.every((r) => r.status === "succeeded" && r.attempts === 1)).toBe(true);
      for (let n = 0; n < 50; n++) expect(hits.get(String(n))).toBe(1);
      // A worker prints a run's line after it stored the result: the last lines may still be in the pipe.
      const deadline = Date.now() + 10_000;
      while (a.done.length + b.done.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      // Both instances took part, and no run was reported by both.
      expect(a.done.length).toBeGreaterThan(0);
      expect(b.done.length).toBeGreaterThan(0);
      expect(new Set([...a.done, ...b.done]).size).toBe(a.done.length + b.done.length);
      expect(a.done.length + b.done.length).toBe(50);
    } finally {
      // Stopped even when an assertion failed, so they take no runs of the next test.
      a.child.kill("SIGTERM");
      b.child.kill("SIGTERM");
      await Promise.all([a.exited, b.exited]);
    }
  }, 120_000);

  it("mark a run failed when the process running it is killed", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const doomed = await startWorker(1);
    const { id: flowId } = await makeFlow(db, ctx, {
      runTimeoutSeconds: 5,
      steps: [step("slow", { url: `${base}/slow?n=doomed`, timeoutSeconds: 60 })],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    await waitForStatus(db, started!.runId, ["running"], 20_000);
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const [stuck] = await db.select().from(flowRuns).where(eq(flowRuns.id, started!.runId));
    expect(stuck.status).toBe("running");

    // The surviving instance (this process, taking no runs itself) notices the expired job.
    await startFlowWorkers({ concurrency: 0, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, schedulerIntervalMs: 60_000 });
    const run = await waitForStatus(db, started!.runId, ["failed", "succeeded"], 40_000);
    expect(run.status).toBe("failed");
    expect(run.error).toContain("the worker running it ended or exceeded the run's time limit (limit 5 s)");
  }, 90_000);
});
