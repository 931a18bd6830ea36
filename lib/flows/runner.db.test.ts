import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connections, flowRuns, flowStepRuns } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection, getConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { closeHttpAgents } from "@/lib/http";
import { MASK } from "@/lib/http/mask";
import { getQueue, queueSchema, stopQueue } from "@/lib/jobs";
import { OutboundLimiter } from "@/lib/http/outbound-limit";
import { actorColumns } from "@/lib/auth/actor";
import { makeTeamContext } from "@/lib/testing/factories";
import {
  deleteFlow,
  getFlowRun,
  listFlowRuns,
  listFlowsUsingConnection,
  loadFlow,
  rerunFlowRun,
  startFlowRun,
  startFlowWorkers,
  stopFlowWorkers,
} from "./index";
import { wakeDeferredRuns } from "./deferral";
import { RUN_QUEUE } from "./queue";
import { pruneFlowRuns } from "./retention";
import { isolateQueue, makeFlow, step, waitForStatus } from "./testing/helpers";

let bin: string;
let scopeServer: http.Server;
let scopeUrl: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  isolateQueue("runner");
  bin = process.env.HTTPBIN_URL as string;
  // A resource server that refuses with RFC 6750 insufficient_scope.
  scopeServer = http.createServer((_req, res) => {
    res.writeHead(403, { "www-authenticate": 'Bearer error="insufficient_scope", scope="contacts.write"', "content-type": "application/json" });
    res.end('{"error":"insufficient_scope"}');
  });
  await new Promise<void>((r) => scopeServer.listen(0, "127.0.0.1", r));
  scopeUrl = `http://127.0.0.1:${(scopeServer.address() as AddressInfo).port}`;
  await startFlowWorkers({ concurrency: 4, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
  await new Promise((r) => scopeServer?.close(r));
  await closeHttpAgents();
});

async function apiKeyConnection(ctx: Awaited<ReturnType<typeof makeTeamContext>>, name: string, apiKey: string, testUrl = `${bin}/headers`) {
  const db = await getDb();
  const input = connectionInputSchema.parse({ type: "api_key", name, apiKey, headerKey: "X-Api-Key", scheme: "None", testUrl });
  return (await createConnection(db, ctx, input)).id;
}

describe("flow runs", { timeout: 30_000 }, () => {
  it("run three steps in order: JSON from step 1 feeds step 2, whose binary body step 3 uploads", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const png = new Uint8Array(await (await fetch(`${bin}/image/png`)).arrayBuffer());
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [
        step("describe", {
          method: "POST",
          url: `${bin}/anything`,
          body: { type: "raw", contentType: "json", text: '{"kind": "{{input.kind}}", "n": {{input.n}}}' },
        }),
        step("download", { url: `${bin}/{{steps.describe.body.json.kind}}/png`, responseType: "binary" }),
        step("upload", {
          method: "POST",
          url: `${bin}/post`,
          body: {
            type: "multipart",
            fields: [
              { type: "text", name: "n", value: "{{steps.describe.body.json.n}}" },
              { type: "file", name: "picture", fileName: "pic.png", contentType: "application/octet-stream", source: "{{steps.download.file}}" },
            ],
          },
        }),
      ],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: { kind: "image", n: 3 }, trigger: "manual" });
    const run = await waitForStatus(db, started!.runId, ["succeeded", "failed"]);
    expect(run).toMatchObject({ status: "succeeded", error: null, attempts: 1 });

    const detail = await getFlowRun(db, ctx, run.id);
    expect(detail.steps.map((s) => [s.stepName, s.status, s.responseStatus])).toEqual([
      ["describe", "succeeded", 200],
      ["download", "succeeded", 200],
      ["upload", "succeeded", 200],
    ]);
    expect(detail.steps[1].request).toMatchObject({ url: `${bin}/image/png` });
    expect(detail.steps[1].responseBody).toBe(`(binary, ${png.length} bytes, image/png)`);
    const upload = JSON.parse(detail.steps[2].responseBody!);
    expect(upload.form).toEqual({ n: "3" });
    expect(upload.files.picture).toBe(`data:image/png;base64,${Buffer.from(png).toString("base64")}`);
    expect((detail.steps[2].request as { body: { fields: unknown[] } }).body.fields[1]).toMatchObject({ fileName: "pic.png", size: png.length });

    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "flow.run_started")));
    expect(audit).toHaveLength(1);
    expect((await listFlowRuns(db, ctx, flowId)).map((r) => r.id)).toEqual([run.id]);
  });

  it("stop at a failing step by default, or continue when the step says so", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const make = (onError: "stop" | "continue") =>
      makeFlow(db, ctx, {
        steps: [step("broken", { url: `${bin}/status/503` }, { onError }), step("after", { url: `${bin}/get?s={{steps.broken.status}}` })],
      });
    const stopping = await makeFlow(db, ctx, { steps: [step("broken", { url: `${bin}/status/503` }), step("after", { url: `${bin}/get` })] });
    const continuing = await make("continue");

    const a = await startFlowRun(db, ctx, { flowId: stopping.id, input: {}, trigger: "manual" });
    const b = await startFlowRun(db, ctx, { flowId: continuing.id, input: {}, trigger: "manual" });
    const stopped = await waitForStatus(db, a!.runId, ["succeeded", "failed"]);
    const continued = await waitForStatus(db, b!.runId, ["succeeded", "failed"]);

    expect(stopped).toMatchObject({ status: "failed", error: "Step “broken” failed: HTTP 503 SERVICE UNAVAILABLE" });
    expect((await getFlowRun(db, ctx, stopped.id)).steps.map((s) => s.status)).toEqual(["failed", "skipped"]);
    expect(continued).toMatchObject({ status: "succeeded", error: "1 step failed; the flow continued past it." });
    const after = (await getFlowRun(db, ctx, continued.id)).steps[1];
    expect(after).toMatchObject({ status: "succeeded", responseStatus: 200 });
    expect(JSON.parse(after.responseBody!).args).toEqual({ s: "503" });
  });

  it("fill connection slots per run, mask the credentials in what is stored, and list the flows using a connection", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const keyA = "key-A-SECRET-51c2e9";
    const keyB = "key-B-SECRET-a03f77";
    const a = await apiKeyConnection(ctx, "CRM Berlin", keyA);
    const b = await apiKeyConnection(ctx, "CRM Paris", keyB);
    const { id: flowId } = await makeFlow(db, ctx, {
      slots: [{ name: "CRM account", defaultConnectionId: null }],
      steps: [
        step("whoami", { url: `${bin}/headers`, headers: [{ key: "X-Echo", value: keyA, enabled: true }] }, { connection: "slot:CRM account" }),
      ],
    });

    await expect(startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" })).rejects.toThrow(
      "This flow needs a connection for the slot “CRM account”: choose one for this run or set a default.",
    );
    await expect(
      startFlowRun(db, ctx, { flowId, input: {}, slotConnections: { "CRM account": crypto.randomUUID() }, trigger: "manual" }),
    ).rejects.toThrow("A chosen connection was not found.");

    const runA = await startFlowRun(db, ctx, { flowId, input: {}, slotConnections: { "CRM account": a }, trigger: "manual" });
    const runB = await startFlowRun(db, ctx, { flowId, input: {}, slotConnections: { "CRM account": b }, trigger: "manual" });
    for (const [started, name, key] of [
      [runA, "CRM Berlin", keyA],
      [runB, "CRM Paris", keyB],
    ] as const) {
      const run = await waitForStatus(db, started!.runId, ["succeeded", "failed"]);
      expect(run.status).toBe("succeeded");
      const [stepRun] = (await getFlowRun(db, ctx, run.id)).steps;
      expect(stepRun.connectionName).toBe(name);
      const stored = JSON.stringify(stepRun);
      expect(stored).not.toContain(key);
      expect(JSON.parse(stepRun.responseBody!).headers["X-Api-Key"]).toBe(MASK);
    }
    // Only the run with connection A knows keyA as a secret: B's run shows the pasted header as typed.
    const [stepB] = (await getFlowRun(db, ctx, runB!.runId)).steps;
    expect(JSON.parse(stepB.responseBody!).headers["X-Echo"]).toBe(keyA);

    // Flows naming a connection (fixed, or as a slot default) are listed for the Connections tab.
    await makeFlow(db, ctx, {
      name: "Uses B",
      slots: [{ name: "Default B", defaultConnectionId: b }],
      steps: [step("x", { url: `${bin}/get` }, { connection: "slot:Default B" })],
    });
    await makeFlow(db, ctx, { name: "Fixed A", steps: [step("x", { url: `${bin}/get` }, { connection: `connection:${a}` })] });
    expect((await listFlowsUsingConnection(db, ctx, b)).map((f) => f.name)).toEqual(["Uses B"]);
    expect((await listFlowsUsingConnection(db, ctx, a)).map((f) => f.name)).toEqual(["Fixed A"]);
    expect((await getConnection(db, ctx, a)).name).toBe("CRM Berlin");
  });

  it("say which scope a connection lacks when the server answers insufficient_scope", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const conn = await apiKeyConnection(ctx, "Contacts", "contacts-key-1234", `${scopeUrl}/contacts`);
    await db
      .update(connections)
      .set({ grantedScopes: ["contacts.read"] })
      .where(eq(connections.id, conn));
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [step("write", { method: "POST", url: `${scopeUrl}/contacts` }, { connection: `connection:${conn}` })],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    const run = await waitForStatus(db, started!.runId, ["succeeded", "failed"]);
    expect(run.error).toBe(
      "Step “write” failed: HTTP 403 Forbidden: the connection “Contacts” lacks the scope “contacts.write” (granted: contacts.read). Reauthorize it with that scope.",
    );
  });

  it("fail a step whose mapping finds nothing, and explain it", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [step("first", { url: `${bin}/get` }), step("second", { url: `${bin}/anything/{{steps.first.body.user.id}}` })],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    const run = await waitForStatus(db, started!.runId, ["succeeded", "failed"]);
    expect(run.error).toBe("Step “second” failed: {{steps.first.body.user.id}}: there is no “user” in steps.first.body.");
    const [, second] = (await getFlowRun(db, ctx, run.id)).steps;
    expect(second).toMatchObject({ status: "failed", errorKind: "mapping", responseStatus: null });
  });

  it("re-run with the same input, refuse unknown flows and other teams' flows", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const other = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { steps: [step("echo", { url: `${bin}/anything?x={{input.x}}` })] });
    const first = await startFlowRun(db, ctx, { flowId, input: { x: "1" }, trigger: "manual" });
    await waitForStatus(db, first!.runId, ["succeeded"]);
    const again = await rerunFlowRun(db, ctx, first!.runId);
    const rerun = await waitForStatus(db, again!.runId, ["succeeded"]);
    expect(rerun).toMatchObject({ trigger: "rerun", rerunOf: first!.runId, input: { x: "1" } });

    await expect(startFlowRun(db, ctx, { flowId: crypto.randomUUID(), input: {}, trigger: "manual" })).rejects.toThrow("That flow was not found.");
    await expect(startFlowRun(db, other, { flowId, input: {}, trigger: "manual" })).rejects.toThrow("That flow was not found.");
    await expect(getFlowRun(db, other, first!.runId)).rejects.toThrow("That run was not found.");
    await expect(loadFlow(db, ctx, "not-a-uuid")).rejects.toThrow("That flow was not found.");
  });

  it("wait, step by step, while the instance's outbound limit is full, instead of failing", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { steps: [step("only", { url: `${bin}/get` })] });
    const saved = globalThis.__plugboardOutboundLimiter;
    const limiter = new OutboundLimiter({ maxInFlight: 1, teamShare: 1, maxQueued: 0 });
    globalThis.__plugboardOutboundLimiter = limiter;
    // Someone else holds the only slot and nothing may queue: the executor answers "busy" to the step.
    const release = await limiter.acquire("another-team");
    try {
      const run = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
      await new Promise((r) => setTimeout(r, 2_500));
      const [waiting] = await db.select().from(flowRuns).where(eq(flowRuns.id, run!.runId));
      expect(waiting.status).toBe("running");
      release();
      expect(await waitForStatus(db, run!.runId, ["succeeded", "failed"])).toMatchObject({ status: "succeeded" });
    } finally {
      release();
      globalThis.__plugboardOutboundLimiter = saved;
    }
  });

  it("respect the flow's concurrency limit", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { maxConcurrentRuns: 1, steps: [step("slow", { url: `${bin}/delay/1` })] });
    const ids = await Promise.all([1, 2, 3].map(async () => (await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" }))!.runId));
    const runs = await Promise.all(ids.map((id) => waitForStatus(db, id, ["succeeded", "failed"])));
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
    // With a limit of 1 no two runs overlap in time.
    const spans = runs.map((r) => [r.startedAt!.getTime(), r.finishedAt!.getTime()]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  }, 30_000);

  it("let runs wait at the concurrency limit without a job row per second: the job rows stay bounded", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { maxConcurrentRuns: 1, steps: [step("slow", { url: `${bin}/delay/6` })] });
    const first = (await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" }))!.runId;
    await waitForStatus(db, first, ["running"]);
    const waiting = await Promise.all([1, 2].map(async () => (await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" }))!.runId));
    const ids = [first, ...waiting];
    const schema = queueSchema();
    const runIds = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const jobRows = async () => {
      const result = await db.execute(
        // pg-boss 12 keeps finished jobs in the job table (no archive) until they are deleted.
        sql`select count(*)::int as n from ${sql.identifier(schema)}.job where data->>'runId' in (${runIds})`,
      );
      return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0].n);
    };
    // Five seconds into a six-second run the two waiting runs have had their one job each, and no more.
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await db.select().from(flowRuns).where(eq(flowRuns.id, waiting[0])))[0]).toMatchObject({
      status: "queued",
      deferredAt: expect.any(Date),
    });
    expect(await jobRows()).toBe(3);
    const runs = await Promise.all(ids.map((id) => waitForStatus(db, id, ["succeeded", "failed"], 40_000)));
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    // Each finish gives one waiting run a job: the initial three plus at most one per finished run.
    expect(await jobRows()).toBeLessThanOrEqual(6);
  }, 60_000);

  it("wake a waiting run from the sweep when its wake-up was lost", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { maxConcurrentRuns: 1, steps: [step("x", { url: `${bin}/get` })] });
    // A run left waiting with no job (its wake-up lost to a crash) and no run holding the slot.
    const [run] = await db
      .insert(flowRuns)
      .values({ teamId: ctx.team.id, flowId, trigger: "manual", ...actorColumns(ctx.principal), deferredAt: new Date() })
      .returning();
    expect(await wakeDeferredRuns(db)).toContain(run.id);
    expect(await wakeDeferredRuns(db)).not.toContain(run.id);
    expect(await waitForStatus(db, run.id, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", deferredAt: null });
  });

  it("prune runs older than the flow's retention, and delete a flow with its runs", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, { retentionDays: 7, steps: [step("x", { url: `${bin}/get` })] });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    await waitForStatus(db, started!.runId, ["succeeded"]);
    const now = new Date();
    await pruneFlowRuns(db, new Date(now.getTime() + 6 * 86_400_000));
    expect(await listFlowRuns(db, ctx, flowId)).toHaveLength(1);
    await pruneFlowRuns(db, new Date(now.getTime() + 8 * 86_400_000));
    expect(await listFlowRuns(db, ctx, flowId)).toHaveLength(0);
    expect(await db.select().from(flowStepRuns).where(eq(flowStepRuns.runId, started!.runId))).toHaveLength(0);

    const again = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    await waitForStatus(db, again!.runId, ["succeeded"]);
    await deleteFlow(db, ctx, flowId);
    expect(await db.select().from(flowRuns).where(eq(flowRuns.flowId, flowId))).toHaveLength(0);
  });
});

describe("a run whose worker died", { timeout: 60_000 }, () => {
  it("is marked failed when the queue expires its job, not left running", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    await stopFlowWorkers();
    // Only the lost-run handler and a quick maintenance: this process takes no runs itself.
    await stopQueue();
    await startFlowWorkers({ concurrency: 0, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, schedulerIntervalMs: 60_000 });
    const { id: flowId } = await makeFlow(db, ctx, { runTimeoutSeconds: 5, steps: [step("x", { url: `${bin}/get` })] });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    // A worker takes the job and claims the run, then its process dies: the job stays active.
    const boss = await getQueue();
    const [job] = await boss.fetch<{ runId: string }>(RUN_QUEUE);
    expect(job.data.runId).toBe(started!.runId);
    await db.update(flowRuns).set({ status: "running", jobId: job.id, attempts: 1, startedAt: new Date() }).where(eq(flowRuns.id, job.data.runId));

    const run = await waitForStatus(db, started!.runId, ["failed", "succeeded"], 40_000);
    expect(run.status).toBe("failed");
    expect(run.error).toBe("The run stopped before it finished: the worker running it ended or exceeded the run's time limit (limit 5 s).");
  }, 60_000);
});
