import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertEvents, auditEvents } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { startFlowRun, startFlowWorkers, stopFlowWorkers } from "@/lib/flows";
import { makeFlow, step, waitForStatus } from "@/lib/flows/testing/helpers";
import { closeHttpAgents } from "@/lib/http";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { stopQueue } from "@/lib/jobs";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { getTeamAlertSettings, setTeamAlertSettings } from "./index";

/** The service the flow calls: 503 while `failing`, else 200. */
let service: LocalServer;
let failing = true;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  process.env.PLUGBOARD_JOBS_SCHEMA = "pgboss_test_alert_flows";
  resetEnvCache();
  service = await startLocalServer(async (req, res) => {
    await readRequestBody(req);
    res.writeHead(failing ? 503 : 200, { "content-type": "application/json" }).end("{}");
  });
  await startFlowWorkers({ concurrency: 1, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue({ graceful: false });
  await service?.close();
  await closeHttpAgents();
});

describe("flow failure alerts", () => {
  it("raise one alert when a flow has failed N runs in a row (N per team), resolved by the next success, again only after a success", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    expect(await getTeamAlertSettings(db, ctx)).toEqual({ flowFailureStreak: 3 });
    await expect(setTeamAlertSettings(db, await addMember(ctx), { flowFailureStreak: 2 })).rejects.toThrow(/admins/);
    await setTeamAlertSettings(db, ctx, { flowFailureStreak: 2 });
    const flow = await makeFlow(db, ctx, { name: "Nightly sync", steps: [step("call", { url: `${service.url}/sync` })] });
    const run = async () => {
      const started = await startFlowRun(db, ctx, { flowId: flow.id, input: {}, trigger: "manual" });
      return (await waitForStatus(db, started?.runId ?? "", ["succeeded", "failed"])).status;
    };
    const alerts = async () =>
      (await db.select().from(alertEvents).where(eq(alertEvents.teamId, ctx.team.id)).orderBy(asc(alertEvents.createdAt))).map((a) => a.payload);

    expect(await run()).toBe("failed");
    expect(await alerts()).toEqual([]);
    expect(await run()).toBe("failed");
    // The alert follows the run's last write: poll for it.
    await expect
      .poll(alerts)
      .toEqual([
        { kind: "flow.failing", flow: { id: flow.id, name: "Nightly sync" }, failedRuns: 2, lastError: expect.stringContaining("HTTP 503") },
      ]);
    expect(await run()).toBe("failed");
    expect(await alerts()).toHaveLength(1);
    failing = false;
    expect(await run()).toBe("succeeded");
    // The success after an alerted streak resolves it, once.
    await expect.poll(alerts).toHaveLength(2);
    expect((await alerts())[1]).toEqual({ kind: "flow.resolved", flow: { id: flow.id, name: "Nightly sync" } });
    expect(await run()).toBe("succeeded");
    failing = true;
    expect(await run()).toBe("failed");
    expect(await alerts()).toHaveLength(2);
    expect(await run()).toBe("failed");
    await expect.poll(alerts).toHaveLength(3);
    // A success after a streak too short to alert resolves nothing.
    failing = false;
    expect(await run()).toBe("succeeded");
    failing = true;
    expect(await run()).toBe("failed");
    failing = false;
    expect(await run()).toBe("succeeded");
    expect((await alerts()).map((a) => (a as { kind: string }).kind)).toEqual(["flow.failing", "flow.resolved", "flow.failing", "flow.resolved"]);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "alert.raised")))
      // In the order they were raised: without ORDER BY, rows come in whatever order the table holds them (the
      // rehearsal caught them swapped once the database was shared by other files).
      .orderBy(auditEvents.createdAt);
    expect(audit.map((a) => [a.targetType, a.targetId, a.metadata.kind])).toEqual([
      ["flow", flow.id, "flow.failing"],
      ["flow", flow.id, "flow.resolved"],
      ["flow", flow.id, "flow.failing"],
      ["flow", flow.id, "flow.resolved"],
    ]);
  });
});
