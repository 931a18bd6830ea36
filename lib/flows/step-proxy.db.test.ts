import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTinyproxy, type Tinyproxy } from "@/e2e/support/tinyproxy";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http";
import { stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import { getFlowRun, startFlowRun, startFlowWorkers, stopFlowWorkers } from "./index";
import { isolateQueue, makeFlow, step, waitForStatus } from "./testing/helpers";

/** A flow step's Proxy option reaches the executor: a real tinyproxy's log lists what the step sent through it. */
let proxy: Tinyproxy;
let bin: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("step_proxy");
  bin = process.env.HTTPBIN_URL as string;
  proxy = await startTinyproxy();
  await startFlowWorkers({ concurrency: 1, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
  await closeHttpAgents();
  await proxy.stop();
});

/** The proxy the step's request says it went through (the run page's "via …"). */
const sentVia = (s: { request: Record<string, unknown> | null }) => (s.request as { sent?: Array<{ proxy?: string }> } | null)?.sent?.[0]?.proxy;

describe("a flow step's proxy", { timeout: 30_000 }, () => {
  it("sends the step through its Proxy URL and records it on the run; a No proxy step goes direct", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [
        step("proxied", { url: `${bin}/anything/step-proxied`, proxy: { mode: "custom", url: proxy.url } }),
        step("direct", { url: `${bin}/anything/step-direct`, proxy: { mode: "none" } }),
      ],
    });
    const before = proxy.requests().length;
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    await waitForStatus(db, started!.runId, ["succeeded", "failed"]);
    const { run, steps } = await getFlowRun(db, ctx, started!.runId);
    expect(run.status).toBe("succeeded");
    expect(proxy.requests().slice(before)).toEqual([`GET ${bin}/anything/step-proxied HTTP/1.1`]);
    expect(steps.map(sentVia)).toEqual([`proxy ${proxy.url}`, undefined]);
  });
});
