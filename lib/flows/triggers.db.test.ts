import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhook } from "@/app/hooks/flows/[id]/route";
import { getDb } from "@/db";
import { flowRuns, flows } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http";
import { stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import { createWebhookToken, getFlowRun, loadFlow, runDueSchedules, startFlowWorkers, stopFlowWorkers, toFormValues, updateFlow } from "./index";
import { flowDefinitionSchema } from "./model";
import { isolateQueue, makeFlow, step, waitForStatus } from "./testing/helpers";
import { actorColumns } from "@/lib/auth/actor";

let bin: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("triggers");
  bin = process.env.HTTPBIN_URL as string;
  await startFlowWorkers({ concurrency: 2, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
  await closeHttpAgents();
});

const post = (flowId: string, body: string, headers: Record<string, string> = {}, query = "") =>
  webhook(
    new Request(`http://localhost/hooks/flows/${flowId}${query}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    }),
    {
      params: Promise.resolve({ id: flowId }),
    },
  );

describe("webhook trigger", { timeout: 30_000 }, () => {
  it("starts a run with the JSON body as input and answers with its id", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { steps: [step("echo", { url: `${bin}/anything?order={{input.order.id}}` })] });
    const { token } = await createWebhookToken(db, ctx, flowId);
    expect(token).toMatch(/^pbwh_/);
    const [row] = await db.select({ hash: flows.webhookTokenHash }).from(flows).where(eq(flows.id, flowId));
    expect(row.hash).not.toContain(token);

    const res = await post(flowId, JSON.stringify({ order: { id: "A-17" } }), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const run = await waitForStatus(db, runId, ["succeeded", "failed"]);
    expect(run).toMatchObject({
      status: "succeeded",
      trigger: "webhook",
      actorUserId: null,
      actorLabel: "webhook",
      input: { order: { id: "A-17" } },
    });
    const [echo] = (await getFlowRun(db, ctx, runId)).steps;
    expect(JSON.parse(echo.responseBody!).args).toEqual({ order: "A-17" });

    // The token also works as a query parameter; a wrong or missing one, or an unknown flow, is refused.
    expect((await post(flowId, "{}", {}, `?token=${token}`)).status).toBe(202);
    const wrong = await post(flowId, "{}", { "x-plugboard-token": `${token}x` });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "The webhook token is missing or wrong." });
    expect((await post(flowId, "{}")).status).toBe(401);
    const unknown = await post(crypto.randomUUID(), "{}", { authorization: `Bearer ${token}` });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "That flow was not found." });
    expect((await post(flowId, "[1,2]", { authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await post(flowId, "{oops", { authorization: `Bearer ${token}` })).status).toBe(400);

    // A new token replaces the old one.
    const second = await createWebhookToken(db, ctx, flowId);
    expect((await post(flowId, "{}", { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await post(flowId, "{}", { authorization: `Bearer ${second.token}` })).status).toBe(202);
  });

  it("waits for the run and returns the last step's response when the flow says so", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      webhookWaitForResult: true,
      steps: [
        step("first", { url: `${bin}/uuid` }),
        step("last", { method: "POST", url: `${bin}/anything`, body: { type: "raw", contentType: "json", text: '{"got": "{{input.name}}"}' } }),
      ],
    });
    const { token } = await createWebhookToken(db, ctx, flowId);
    const res = await post(flowId, JSON.stringify({ name: "Grace" }), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(((await res.json()) as { json: unknown }).json).toEqual({ got: "Grace" });
    expect(res.headers.get("x-plugboard-run-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a run whose slot has no connection, with the reason", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      slots: [{ name: "Billing", defaultConnectionId: null }],
      steps: [step("x", { url: `${bin}/get` }, { connection: "slot:Billing" })],
    });
    const { token } = await createWebhookToken(db, ctx, flowId);
    const res = await post(flowId, "{}", { authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "This flow needs a connection for the slot “Billing”: choose one for this run or set a default." });
  });
});

describe("schedule trigger", { timeout: 30_000 }, () => {
  it("fires each tick once however many instances look (fake clock)", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      scheduleEnabled: true,
      scheduleCron: "0 9 * * 1-5",
      scheduleTimezone: "Europe/Berlin",
      sampleInput: '{"from": "schedule"}',
      steps: [step("x", { url: `${bin}/get?from={{input.from}}` })],
    });
    // Pretend the schedule was saved last Friday evening: the next tick is Monday 09:00 Berlin.
    await db
      .update(flows)
      .set({ nextRunAt: new Date("2026-11-30T08:00:00Z") })
      .where(eq(flows.id, flowId));

    expect((await runDueSchedules(db, new Date("2026-11-30T07:59:59Z"))).started.filter((id) => id)).toHaveLength(0);
    const results = await Promise.all([1, 2, 3].map(() => runDueSchedules(db, new Date("2026-11-30T08:00:01Z"))));
    const started = results.flatMap((r) => r.started);
    const mine = await db.select().from(flowRuns).where(eq(flowRuns.flowId, flowId));
    expect(mine).toHaveLength(1);
    expect(started).toContain(mine[0].id);
    expect(mine[0]).toMatchObject({
      trigger: "schedule",
      actorLabel: "schedule",
      scheduledFor: new Date("2026-11-30T08:00:00Z"),
      input: { from: "schedule" },
    });
    expect((await loadFlow(db, ctx, flowId)).nextRunAt).toEqual(new Date("2026-12-01T08:00:00Z"));
    const run = await waitForStatus(db, mine[0].id, ["succeeded", "failed"]);
    expect(run.status).toBe("succeeded");
  });

  it("runs a per-second cron through the workers' ticker, and stops when the flow is inactive", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    await stopFlowWorkers();
    await startFlowWorkers({ concurrency: 2, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 200 });
    const { id: flowId } = await makeFlow(db, ctx, {
      maxConcurrentRuns: 5,
      scheduleEnabled: true,
      scheduleCron: "* * * * * *",
      steps: [step("x", { url: `${bin}/get` })],
    });
    const deadline = Date.now() + 15_000;
    let runs: Array<typeof flowRuns.$inferSelect> = [];
    while (Date.now() < deadline) {
      runs = await db
        .select()
        .from(flowRuns)
        .where(and(eq(flowRuns.flowId, flowId), eq(flowRuns.status, "succeeded")));
      if (runs.length >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.trigger === "schedule")).toBe(true);
    expect(new Set(runs.map((r) => r.scheduledFor?.getTime())).size).toBe(runs.length);

    const values = toFormValues(await loadFlow(db, ctx, flowId));
    await updateFlow(db, ctx, flowId, flowDefinitionSchema.parse({ ...values, active: false }));
    expect((await loadFlow(db, ctx, flowId)).nextRunAt).toBeNull();
    await new Promise((r) => setTimeout(r, 1500));
    const before = (await db.select().from(flowRuns).where(eq(flowRuns.flowId, flowId))).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await db.select().from(flowRuns).where(eq(flowRuns.flowId, flowId))).length).toBe(before);
  }, 40_000);

  it("skips ticks while the flow is at its concurrency limit", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      maxConcurrentRuns: 1,
      scheduleEnabled: true,
      scheduleCron: "*/5 * * * *",
      steps: [step("x", { url: `${bin}/get` })],
    });
    await db.insert(flowRuns).values({ teamId: ctx.team.id, flowId, trigger: "manual", ...actorColumns(ctx.principal), status: "running" });
    await db
      .update(flows)
      .set({ nextRunAt: new Date("2026-01-01T00:05:00Z") })
      .where(eq(flows.id, flowId));
    const result = await runDueSchedules(db, new Date("2026-01-01T00:05:00Z"));
    expect(result.skipped).toContain(flowId);
    expect(
      await db
        .select()
        .from(flowRuns)
        .where(and(eq(flowRuns.flowId, flowId), eq(flowRuns.trigger, "schedule"))),
    ).toHaveLength(0);
  });
});
