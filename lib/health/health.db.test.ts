import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connections } from "@/db/schema";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import { callbackUrl, completeAuthorization, createConnection, listConnectionChecks, listTokenEvents, startAuthorization } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { getAccessToken } from "@/lib/connections/tokens";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { getQueue, stopQueue } from "@/lib/jobs";
import type { TeamContext } from "@/lib/auth/team-context";
import { makeTeamContext } from "@/lib/testing/factories";
import { isolateQueue } from "@/lib/flows/testing/helpers";
import type { HealthJob } from "./scheduler";
import { HEALTH_QUEUE, startHealthWorkers, stopHealthWorkers } from "./worker";

/**
 * Health checks and keep-alive on the job queue, with an "hour" shortened to a second (PLUGBOARD_HEALTH_HOURLY_SECONDS)
 * so that several periods pass in a few seconds.
 */
const postgres = process.env.PLUGBOARD_TEST_DB === "postgres";
const PERIOD_S = 1;
/** The two-instance test's period: long enough that queue latency (a poll, a tick) is well under half of it. */
const SHARED_PERIOD_S = 2;
const REFRESH_TOKEN_TTL_S = 3;

let server: http.Server;
let base: string;
/** Test URL hits per connection label, with their times, and the most requests in flight at once. */
const hits = new Map<string, number[]>();
let inFlight = 0;
let maxInFlight = 0;
let oauth: OAuthTestServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  process.env.PLUGBOARD_HEALTH_HOURLY_SECONDS = String(PERIOD_S);
  resetEnvCache();
  isolateQueue("health");
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const label = url.searchParams.get("c") ?? "";
    hits.set(label, [...(hits.get(label) ?? []), Date.now()]);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const timer = setTimeout(
      () => {
        inFlight--;
        res.writeHead(url.pathname === "/fail" ? 401 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify(url.pathname === "/fail" ? { error: "invalid_key", error_description: "key was rotated" } : { ok: true }));
      },
      Number(url.searchParams.get("delay") ?? 20),
    );
    res.on("close", () => clearTimeout(timer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Refresh tokens rotate and each lives REFRESH_TOKEN_TTL_S: a token unused that long is dead (an idle lifetime).
  oauth = await startOAuthTestServer({
    autoApprove: true,
    redirectUris: [callbackUrl()],
    refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_S,
    rotateRefreshTokens: true,
  });
});

beforeEach(async () => {
  // Jobs a previous run left queued (its connections are gone) would only delay this run's.
  const boss = await getQueue();
  if (await boss.getQueue(HEALTH_QUEUE)) await boss.deleteQueuedJobs(HEALTH_QUEUE);
});

afterEach(async () => {
  await stopHealthWorkers();
  // A test's connections stop being due, so the next test's workers spend no slots on them.
  const db = await getDb();
  if (teamIds.length) {
    await db
      .update(connections)
      .set({ checkSchedule: "off", nextCheckAt: null, keepAlive: "off", nextKeepAliveAt: null })
      .where(inArray(connections.teamId, teamIds));
  }
});

const teamIds: string[] = [];
async function makeTeam() {
  const ctx = await makeTeamContext();
  teamIds.push(ctx.team.id);
  return ctx;
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await stopQueue();
  await oauth?.stop();
  await closeHttpAgents();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function apiKeyConnection(ctx: TeamContext, name: string, testUrl: string, checkSchedule = "hourly") {
  const db = await getDb();
  return createConnection(db, ctx, connectionInputSchema.parse({ type: "api_key", name, apiKey: "k-123", testUrl, checkSchedule }));
}

/** Makes the connections' next check due now (instead of waiting for their slot in the period). */
async function dueNow(ids: string[]) {
  const db = await getDb();
  await db
    .update(connections)
    .set({ nextCheckAt: new Date(Date.now() - 1000) })
    .where(inArray(connections.id, ids));
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("scheduled health checks", () => {
  it("run Verify from the queue, record it in the history, and never more checks at once than the setting", async () => {
    const db = await getDb();
    const ctx = await makeTeam();
    const ok = await Promise.all([1, 2, 3, 4].map((n) => apiKeyConnection(ctx, `Slow ${n}`, `${base}/ok?c=slow${n}&delay=300`)));
    const failing = await apiKeyConnection(ctx, "Rotated", `${base}/fail?c=rotated`);
    const off = await apiKeyConnection(ctx, "Off", `${base}/ok?c=off`, "off");
    await dueNow([...ok.map((c) => c.id), failing.id, off.id]);
    maxInFlight = 0;
    const done: HealthJob[] = [];
    await startHealthWorkers({ concurrency: 2, tickIntervalMs: 100, pollingIntervalSeconds: 0.5, onJobDone: (job) => done.push(job) });
    // Only this test's connections count: the database may hold other files' connections that are due too.
    const ours = new Set([...ok.map((c) => c.id), failing.id]);
    await until(() => new Set(done.filter((j) => j.kind === "check" && ours.has(j.connectionId)).map((j) => j.connectionId)).size >= 5, 20_000);
    expect(maxInFlight).toBe(2);
    expect(hits.get("off")).toBeUndefined();

    const [check] = await listConnectionChecks(db, ctx, failing.id);
    expect(check).toMatchObject({ source: "scheduled", outcome: "failed" });
    expect(check.message).toContain("HTTP 401");
    expect(check.message).toContain("key was rotated");
    const [row] = await db.select().from(connections).where(eq(connections.id, failing.id));
    expect(row.status).toBe("failed");
    expect((await listConnectionChecks(db, ctx, ok[0].id))[0]).toMatchObject({ source: "scheduled", outcome: "ok" });
  });

  it.skipIf(!postgres)(
    "check each connection once per period across two app instances",
    async () => {
      const db = await getDb();
      const ctx = await makeTeam();
      const labels = ["a", "b", "c", "d", "e", "f"];
      // The instances first, then the connections, so each one's first slot is in the future as in production.
      // Ticking at different intervals, as instances started at different moments do: two processes started
      // together tick in step, and the one a hair ahead would claim nearly every slot.
      const [one, two] = await Promise.all([startWorkerProcess(100), startWorkerProcess(130)]);
      process.env.PLUGBOARD_HEALTH_HOURLY_SECONDS = String(SHARED_PERIOD_S);
      let created: Array<{ id: string }> = [];
      const started = Date.now();
      try {
        created = await Promise.all(labels.map((l) => apiKeyConnection(ctx, `Shared ${l}`, `${base}/ok?c=shared-${l}`)));
        await new Promise((r) => setTimeout(r, 4.5 * SHARED_PERIOD_S * 1000));
      } finally {
        process.env.PLUGBOARD_HEALTH_HOURLY_SECONDS = String(PERIOD_S);
        one.child.kill("SIGTERM");
        two.child.kill("SIGTERM");
        await Promise.all([one.exited, two.exited]);
      }
      const ids = new Set(created.map((c) => c.id));
      const jobs = [...one.jobs, ...two.jobs].filter((j) => ids.has(j.connectionId));
      // Both instances took part, and no slot went to both.
      expect(one.jobs.length).toBeGreaterThan(0);
      expect(two.jobs.length).toBeGreaterThan(0);
      expect(new Set(jobs.map((j) => `${j.connectionId}@${j.slot}`)).size).toBe(jobs.length);
      for (const l of labels) {
        const times = hits.get(`shared-${l}`) ?? [];
        // 4.5 periods, the first slot within the first: 4 or 5 checks, one per period.
        expect(times.length).toBeGreaterThanOrEqual(4);
        expect(times.length).toBeLessThanOrEqual(5);
        // One per period: the slots claimed for a connection are whole periods apart (when a check's request
        // arrives depends on the machine's load, so the slots are compared, not the arrival times).
        const slots = jobs
          .filter((j) => j.connectionId === created[labels.indexOf(l)].id)
          .map((j) => Date.parse(j.slot))
          .sort((a, b) => a - b);
        expect(slots.length).toBeGreaterThan(0);
        for (let i = 1; i < slots.length; i++) {
          const periods = (slots[i] - slots[i - 1]) / (SHARED_PERIOD_S * 1000);
          expect(periods >= 1 && Number.isInteger(periods)).toBe(true);
        }
        expect(times[0] - started).toBeLessThan(SHARED_PERIOD_S * 1000 * 2);
      }
      const history = await listConnectionChecks(db, ctx, created[0].id);
      expect(history.length).toBe(hits.get("shared-a")?.length);
      expect(history.every((c) => c.source === "scheduled" && c.outcome === "ok")).toBe(true);
    },
    60_000,
  );
});

describe("keep-alive", () => {
  it("keeps a refresh token with an idle lifetime alive, and one without keep-alive expires", async () => {
    const db = await getDb();
    const ctx = await makeTeam();
    const c = oauth.clients.authCodeBasic;
    const consent = async (name: string, keepAlive: "hourly" | "off") => {
      const input = connectionInputSchema.parse({
        type: "oauth2_code",
        name,
        authorizeUrl: oauth.authorizeUrl,
        tokenUrl: oauth.tokenUrl,
        scopes: "openid offline_access read:things",
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        clientAuth: c.clientAuth,
        issuer: oauth.issuer,
        issParameterSupported: true,
        checkSchedule: "off",
        keepAlive,
      });
      const started = await startAuthorization(db, ctx, { mode: "create", input });
      const done = await completeAuthorization(db, ctx.actor.id, new URL(await driveAuthorization(started.redirectUrl)));
      if (!done.ok) throw new Error(done.message);
      return done.connectionId;
    };
    const keptAlive: string[] = [];
    await startHealthWorkers({
      concurrency: 2,
      tickIntervalMs: 100,
      pollingIntervalSeconds: 0.5,
      onJobDone: (job, outcome) => job.kind === "keep_alive" && outcome === "kept_alive" && keptAlive.push(job.connectionId),
    });
    const kept = await consent("Kept alive", "hourly");
    const idle = await consent("Left idle", "off");
    const [idleRow] = await db.select().from(connections).where(eq(connections.id, idle));
    expect(idleRow).toMatchObject({ keepAlive: "off", nextKeepAliveAt: null });
    // Three refresh-token lifetimes without any use of either connection.
    await new Promise((r) => setTimeout(r, 3 * REFRESH_TOKEN_TTL_S * 1000 + 500));
    await stopHealthWorkers();

    const refreshes = (await listTokenEvents(db, ctx, kept)).filter((e) => e.kind === "refreshed");
    expect(refreshes.length).toBeGreaterThanOrEqual(3 * REFRESH_TOKEN_TTL_S - 2);
    expect(keptAlive.every((id) => id === kept)).toBe(true);
    // A use now (the access token refused as expired) still works for the kept one...
    await expect(getAccessToken(db, ctx.team.id, kept, { force: true })).resolves.toMatchObject({ accessToken: expect.any(String) });
    // ...and finds the idle one's refresh token dead: it needs reauthorization.
    await expect(getAccessToken(db, ctx.team.id, idle, { force: true })).rejects.toMatchObject({ reason: "needs_reauthorization" });
    const [after] = await db.select().from(connections).where(eq(connections.id, idle));
    expect(after.status).toBe("needs_reauthorization");
  }, 40_000);
});

type WorkerProcess = { child: ChildProcess; jobs: Array<HealthJob & { outcome: string }>; exited: Promise<void> };

async function startWorkerProcess(tickMs: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/health/testing/worker-process.ts"], {
    env: { ...process.env, HEALTH_TICK_MS: String(tickMs), PLUGBOARD_HEALTH_HOURLY_SECONDS: String(SHARED_PERIOD_S) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const jobs: WorkerProcess["jobs"] = [];
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line === "ready") return resolve();
      if (line.startsWith("{")) jobs.push(JSON.parse(line));
    });
    child.once("exit", (code) => reject(new Error(`health worker exited with ${code} before it was ready`)));
  });
  return { child, jobs, exited };
}
