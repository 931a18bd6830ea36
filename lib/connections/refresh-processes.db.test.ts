import { spawn, type ChildProcess } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connections } from "@/db/schema";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import { makeTeamContext } from "@/lib/testing/factories";
import { callbackUrl, completeAuthorization, startAuthorization } from "./index";
import { connectionInputSchema } from "./schemas";

// Two app processes share the Postgres test database (PGlite is one process by nature).
const postgres = process.env.PLUGBOARD_TEST_DB === "postgres";
let oauth: OAuthTestServer;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  if (postgres) oauth = await startOAuthTestServer({ autoApprove: true, redirectUris: [callbackUrl()] });
});
afterAll(async () => {
  await oauth?.stop();
});

function startWorker(env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; result: Promise<Array<number | string>> } {
  const child = spawn("npx", ["tsx", "--conditions=react-server", "lib/connections/testing/refresh-worker.ts"], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before ready: ${err.slice(-2000)}`)));
  });
  const result = new Promise<Array<number | string>>((resolve, reject) => {
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("["));
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`worker failed (${code}): ${err.slice(-2000)}`));
    });
  });
  return { child, ready, result };
}

describe.runIf(postgres)("token refresh across app processes", () => {
  it("20 parallel uses of an expired token in two processes cause exactly one refresh", { timeout: 60_000 }, async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const c = oauth.clients.authCodeBasic;
    const input = connectionInputSchema.parse({
      type: "oauth2_code",
      name: "Shared",
      authorizeUrl: oauth.authorizeUrl,
      tokenUrl: oauth.tokenUrl,
      scopes: "openid offline_access read:things",
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      issuer: oauth.issuer,
      issParameterSupported: true,
    });
    const { redirectUrl } = await startAuthorization(db, ctx, { mode: "create", input });
    const outcome = await completeAuthorization(db, ctx.actor.id, new URL(await driveAuthorization(redirectUrl)));
    if (!outcome.ok) throw new Error(outcome.message);
    await db
      .update(connections)
      .set({ tokenExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(connections.id, outcome.connectionId));
    oauth.resetEvents();

    const env = {
      CONNECTION_ID: outcome.connectionId,
      USER_ID: ctx.actor.id,
      TEAM_ID: ctx.team.id,
      RESOURCE_URL: oauth.resourceUrl,
      USES: "10",
      DATABASE_URL: process.env.DATABASE_URL as string,
    };
    const workers = [startWorker(env), startWorker(env)];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin?.end("go\n");
    const statuses = (await Promise.all(workers.map((w) => w.result))).flat();
    expect(statuses).toEqual(Array(20).fill(200));
    expect(oauth.countGrants("refresh_token")).toBe(1);
  });
});
