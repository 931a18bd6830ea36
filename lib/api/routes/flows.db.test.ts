import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { startFlowWorkers, stopFlowWorkers } from "@/lib/flows";
import { isolateQueue, makeFlow, step, waitForStatus } from "@/lib/flows/testing/helpers";
import { stopQueue } from "@/lib/jobs";
import { basic, BASE, formRequest, makeClient } from "@/lib/oauth-server/test-helpers";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import type { ScopeName } from "@/lib/oauth-server/scopes";
import { makeTeamContext } from "@/lib/testing/factories";
import { apiRouteHandler } from "../handler";
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

async function tokenFor(ctx: TeamContext, scopes: ScopeName[]) {
  const app = await makeClient(ctx, { scopes, role: "member" });
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

function call(route: Parameters<typeof apiRouteHandler>[0], token: string, options: { path: string; method?: string; id?: string; body?: unknown }) {
  return apiRouteHandler(route)(
    new Request(`${BASE}${options.path}`, {
      method: options.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { params: Promise.resolve<Record<string, string>>(options.id ? { id: options.id } : {}) },
  );
}

describe("/api/v1/flows", () => {
  it("lists and reads flows, starts a run with flows:run and reads its steps", async () => {
    const ctx = await makeTeamContext("admin");
    const flow = await makeFlow(await getDb(), ctx, {
      name: "API flow",
      steps: [step("echo", { url: `${process.env.HTTPBIN_URL}/anything/{{input.id}}` })],
    });
    const token = await tokenFor(ctx, ["flows:read", "flows:run"]);

    const list = (await (await call(routes.listFlowsRoute, token, { path: "/api/v1/flows" })).json()) as { flows: { id: string; name: string }[] };
    expect(list.flows.map((f) => f.name)).toEqual(["API flow"]);
    const one = await call(routes.getFlowRoute, token, { path: `/api/v1/flows/${flow.id}`, id: flow.id });
    expect(await one.json()).toMatchObject({ id: flow.id, name: "API flow", hasWebhook: false });

    const started = await call(routes.runFlowRoute, token, {
      path: `/api/v1/flows/${flow.id}/runs`,
      method: "POST",
      id: flow.id,
      body: { input: { id: "abc" } },
    });
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    await waitForStatus(await getDb(), runId, ["succeeded", "failed"]);

    const runs = (await (await call(routes.listFlowRunsRoute, token, { path: `/api/v1/flows/${flow.id}/runs`, id: flow.id })).json()) as {
      runs: { id: string; trigger: string }[];
    };
    expect(runs.runs[0]).toMatchObject({ id: runId, trigger: "api" });
    const run = (await (await call(routes.getFlowRunRoute, token, { path: `/api/v1/flow-runs/${runId}`, id: runId })).json()) as {
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
    const readOnlyB = await tokenFor(teamB, ["flows:read"]);
    const refused = await call(routes.runFlowRoute, readOnlyB, { path: `/api/v1/flows/${flowB.id}/runs`, method: "POST", id: flowB.id, body: {} });
    expect(refused.status).toBe(403);

    const tokenA = await tokenFor(teamA, ["flows:read", "flows:run"]);
    expect((await call(routes.getFlowRoute, tokenA, { path: `/api/v1/flows/${flowB.id}`, id: flowB.id })).status).toBe(404);
    expect((await call(routes.runFlowRoute, tokenA, { path: `/api/v1/flows/${flowB.id}/runs`, method: "POST", id: flowB.id, body: {} })).status).toBe(
      404,
    );
    const listA = (await (await call(routes.listFlowsRoute, tokenA, { path: "/api/v1/flows" })).json()) as { flows: unknown[] };
    expect(listA.flows).toEqual([]);
  });
});
