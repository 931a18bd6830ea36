import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { getQueue, stopQueue } from "@/lib/jobs";
import { RUN_QUEUE } from "./queue";
import { isolateQueue } from "./testing/helpers";
import { startFlowWorkers, stopFlowWorkers } from "./worker";

const saved = { workers: process.env.PLUGBOARD_FLOW_WORKERS, poll: process.env.PLUGBOARD_FLOW_POLL_SECONDS };

afterEach(async () => {
  await stopFlowWorkers();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await stopQueue();
  for (const [key, value] of [
    ["PLUGBOARD_FLOW_WORKERS", saved.workers],
    ["PLUGBOARD_FLOW_POLL_SECONDS", saved.poll],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  resetEnvCache();
});

describe("flow workers", () => {
  it("start as many run workers as PLUGBOARD_FLOW_WORKERS says, polling every PLUGBOARD_FLOW_POLL_SECONDS", async () => {
    isolateQueue("worker_settings");
    process.env.PLUGBOARD_FLOW_WORKERS = "3";
    process.env.PLUGBOARD_FLOW_POLL_SECONDS = "2";
    resetEnvCache();
    const boss = await getQueue({ pollingIntervalSeconds: 2 });
    const work = vi.spyOn(boss, "work");
    await startFlowWorkers({ schedulerIntervalMs: 60_000 });
    const runWorkers = work.mock.calls.filter(([queue]) => queue === RUN_QUEUE);
    expect(runWorkers).toHaveLength(3);
    for (const [, options] of runWorkers) expect(options).toMatchObject({ pollingIntervalSeconds: 2 });
  });

  it("let a caller's options win over the settings", async () => {
    process.env.PLUGBOARD_FLOW_WORKERS = "3";
    resetEnvCache();
    const work = vi.spyOn(await getQueue(), "work");
    await startFlowWorkers({ concurrency: 1, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
    const runWorkers = work.mock.calls.filter(([queue]) => queue === RUN_QUEUE);
    expect(runWorkers).toHaveLength(1);
    expect(runWorkers[0][1]).toMatchObject({ pollingIntervalSeconds: 0.5 });
  });
});
