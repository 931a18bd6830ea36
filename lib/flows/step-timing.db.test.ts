import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { flowStepRuns } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http";
import { stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import { startFlowRun, startFlowWorkers, stopFlowWorkers } from "./index";
import { isolateQueue, makeFlow, step, waitForStatus } from "./testing/helpers";

let bin: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  isolateQueue("step_timing");
  bin = process.env.HTTPBIN_URL as string;
  await startFlowWorkers({ concurrency: 2, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
  await closeHttpAgents();
});

describe("step timing", { timeout: 30_000 }, () => {
  it("keeps each step's place on the run's axis, a retried step's attempts and waits, and a skipped step's marker", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [
        step("first", { url: `${bin}/get` }),
        step("flaky", { url: `${bin}/status/503`, maxRetries: 2, retryDelayMs: 100 }),
        step("never", { url: `${bin}/get` }),
      ],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    if (!started) throw new Error("the run was not started");
    const { runId } = started;
    await waitForStatus(db, runId, ["failed"]);
    const rows = await db.select().from(flowStepRuns).where(eq(flowStepRuns.runId, runId)).orderBy(asc(flowStepRuns.position));
    const [first, flaky, never] = rows.map((r) => r.timing);
    if (!first || !flaky || !never) throw new Error("every step record keeps its timing");

    expect(first.exchanges.map((e) => e.phases.map((p) => p.name))).toEqual([["connect", "ttfb", "download"]]);
    expect(flaky.startMs).toBeGreaterThanOrEqual(first.startMs + first.durationMs);
    expect(flaky.exchanges.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
    ]);
    expect(flaky.waits.map((w) => w.reason)).toEqual(["HTTP 503", "HTTP 503"]);
    for (const w of flaky.waits) expect(w.durationMs).toBeGreaterThanOrEqual(99);
    // Offsets count from the step's start: every attempt lies inside the step.
    for (const e of flaky.exchanges) expect(e.startMs + e.phases.reduce((n, p) => n + p.durationMs, 0)).toBeLessThanOrEqual(flaky.durationMs);
    expect(rows[2].status).toBe("skipped");
    expect(never).toMatchObject({ durationMs: 0, exchanges: [], waits: [] });
    expect(never.startMs).toBeGreaterThanOrEqual(flaky.startMs + flaky.durationMs);
  });
});
