import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { NotFoundError } from "@/lib/errors/service-error";
import { closeHttpAgents } from "@/lib/http";
import { MASK } from "@/lib/http/mask";
import { stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import { getFlowRun, startFlowRun, startFlowWorkers, stopFlowWorkers } from "./index";
import { isolateQueue, makeFlow, step, waitForStatus } from "./testing/helpers";

let bin: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("cookies");
  bin = process.env.HTTPBIN_URL as string;
  await startFlowWorkers({ concurrency: 2, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
  await closeHttpAgents();
});

type Ctx = Awaited<ReturnType<typeof makeTeamContext>>;

async function runToEnd(ctx: Ctx, flowId: string) {
  const db = await getDb();
  const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
  const run = await waitForStatus(db, started!.runId, ["succeeded", "failed"]);
  return getFlowRun(db, ctx, run.id);
}

const body = (s: { responseBody: string | null }) => JSON.parse(s.responseBody ?? "null");

describe("a flow run's cookie jar", { timeout: 30_000 }, () => {
  it("sends a cookie one step set to the later steps, lists it on the run, and starts each run empty", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [
        step("before", { url: `${bin}/cookies` }),
        // Not followed: the cookie reaches /cookies in the next step through the jar, not on the redirect.
        step("set", { url: `${bin}/cookies/set?x=y`, followRedirect: false, responseType: "text" }),
        step("read", { url: `${bin}/cookies` }),
      ],
    });
    for (const _ of [1, 2]) {
      const { run, steps } = await runToEnd(ctx, flowId);
      expect(run.status).toBe("succeeded");
      expect(steps.map((s) => body(s.status === "succeeded" && s.responseBodyType === "json" ? s : { responseBody: null }))).toEqual([
        { cookies: {} },
        null,
        { cookies: { x: "y" } },
      ]);
      expect(run.cookies).toEqual([
        { name: "x", value: "y", domain: "127.0.0.1", path: "/", hostOnly: true, secure: false, httpOnly: false, expires: expect.any(String) },
      ]);
    }
  });

  it("is never another team's: a team's run does not send or list another's cookies, nor can it open that run", async () => {
    const db = await getDb();
    const teamA = await makeTeamContext();
    const teamB = await makeTeamContext();
    const setter = await makeFlow(db, teamA, {
      steps: [
        step("set", { url: `${bin}/cookies/set?team=a`, followRedirect: false, responseType: "text" }),
        step("read", { url: `${bin}/cookies` }),
      ],
    });
    const reader = await makeFlow(db, teamB, { steps: [step("read", { url: `${bin}/cookies` })] });
    const [a, b] = await Promise.all([runToEnd(teamA, setter.id), runToEnd(teamB, reader.id)]);
    expect(body(a.steps[1])).toEqual({ cookies: { team: "a" } });
    expect(body(b.steps[0])).toEqual({ cookies: {} });
    expect(b.run.cookies).toBeNull();
    await expect(getFlowRun(db, teamB, a.run.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("masks a cookie that carries a connection's secret in the listed jar", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const secret = "cookie-SECRET-7d41b0e2";
    const input = connectionInputSchema.parse({
      type: "api_key",
      name: "Session API",
      apiKey: secret,
      headerKey: "X-Api-Key",
      scheme: "None",
      testUrl: `${bin}/headers`,
    });
    const connectionId = (await createConnection(db, ctx, input)).id;
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [
        step(
          "login",
          { url: `${bin}/cookies/set?session=${secret}&plain=ok`, followRedirect: false, responseType: "text" },
          {
            connection: `connection:${connectionId}`,
          },
        ),
        step("read", { url: `${bin}/cookies` }),
      ],
    });
    const { run, steps } = await runToEnd(ctx, flowId);
    expect(run).toMatchObject({ status: "succeeded", error: null });
    expect(Object.fromEntries((run.cookies ?? []).map((c) => [c.name, c.value]))).toEqual({ session: MASK, plain: "ok" });
    expect(JSON.stringify(run.cookies)).not.toContain(secret);
    // The later step did send it (the server echoes it back: response data, shown as the step's response).
    expect(body(steps[1]).cookies).toMatchObject({ plain: "ok" });
  });
});
