import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { startFlowWorkers, stopFlowWorkers } from "@/lib/flows";
import { isolateQueue, makeFlow, step, waitForStatus } from "@/lib/flows/testing/helpers";
import { stopQueue } from "@/lib/jobs";
import { appToken } from "@/lib/oauth-server/test-helpers";
import { callRoute } from "../test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import * as routes from "./flows";

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("api_flows");
  await startFlowWorkers({ concurrency: 2, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
});

describe("/api/v1/flows", () => {
  it("lists and reads flows, starts a run with flows:run and reads its steps", async () => {
    const ctx = await makeTeamContext("admin");
    const flow = await makeFlow(await getDb(), ctx, {
      name: "API flow",
      steps: [step("echo", { url: `${process.env.HTTPBIN_URL}/anything/{{input.id}}` })],
    });
    const token = await appToken(ctx, ["flows:read", "flows:run"], "member");

    const list = (await (await callRoute(routes.listFlowsRoute, token, { path: "/api/v1/flows" })).json()) as {
      flows: { id: string; name: string }[];
    };
    expect(list.flows.map((f) => f.name)).toEqual(["API flow"]);
    const one = await callRoute(routes.getFlowRoute, token, { path: `/api/v1/flows/${flow.id}`, id: flow.id });
    expect(await one.json()).toMatchObject({ id: flow.id, name: "API flow", hasWebhook: false });

    const started = await callRoute(routes.runFlowRoute, token, {
      path: `/api/v1/flows/${flow.id}/runs`,
      method: "POST",
      id: flow.id,
      body: { input: { id: "abc" } },
    });
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    await waitForStatus(await getDb(), runId, ["succeeded", "failed"]);

    const runs = (await (await callRoute(routes.listFlowRunsRoute, token, { path: `/api/v1/flows/${flow.id}/runs`, id: flow.id })).json()) as {
      runs: { id: string; trigger: string }[];
    };
    expect(runs.runs[0]).toMatchObject({ id: runId, trigger: "api" });
    const run = (await (await callRoute(routes.getFlowRunRoute, token, { path: `/api/v1/flow-runs/${runId}`, id: runId })).json()) as {
      run: { status: string };
      steps: { stepName: string; status: string; responseStatus: number }[];
    };
    expect(run.run.status).toBe("succeeded");
    expect(run.steps[0]).toMatchObject({ stepName: "echo", status: "succeeded", responseStatus: 200 });
  });

  it("needs flows:run to start a run, and keeps teams apart", async () => {
    const teamA = await makeTeamContext("admin");
    const teamB = await makeTeamContext("admin");
    const flowB = await makeFlow(await getDb(), teamB, { steps: [step("one", { url: `${process.env.HTTPBIN_URL}/get` })] });
    const readOnlyB = await appToken(teamB, ["flows:read"], "member");
    const refused = await callRoute(routes.runFlowRoute, readOnlyB, {
      path: `/api/v1/flows/${flowB.id}/runs`,
      method: "POST",
      id: flowB.id,
      body: {},
    });
    expect(refused.status).toBe(403);

    const tokenA = await appToken(teamA, ["flows:read", "flows:run"], "member");
    expect((await callRoute(routes.getFlowRoute, tokenA, { path: `/api/v1/flows/${flowB.id}`, id: flowB.id })).status).toBe(404);
    expect(
      (await callRoute(routes.runFlowRoute, tokenA, { path: `/api/v1/flows/${flowB.id}/runs`, method: "POST", id: flowB.id, body: {} })).status,
    ).toBe(404);
    const listA = (await (await callRoute(routes.listFlowsRoute, tokenA, { path: "/api/v1/flows" })).json()) as { flows: unknown[] };
    expect(listA.flows).toEqual([]);
  });
});
