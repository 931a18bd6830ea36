import type http from "node:http";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connections, connectionTokenEvents, flowRuns, flowStepRuns, requestRuns } from "@/db/schema";
import { apiRouteHandler } from "@/lib/api/handler";
import * as audit from "@/lib/api/routes/audit-log";
import * as connectionRoutes from "@/lib/api/routes/connections";
import * as flowRoutes from "@/lib/api/routes/flows";
import * as requestRoutes from "@/lib/api/routes/requests";
import type { TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { executeFlowRun } from "@/lib/flows";
import { isolateQueue, makeFlow, step } from "@/lib/flows/testing/helpers";
import { closeHttpAgents } from "@/lib/http";
import { requestSpecSchema } from "@/lib/http/spec";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { stopQueue } from "@/lib/jobs";
import { BASE, basic as basicHeader, formRequest, makeClient } from "@/lib/oauth-server/test-helpers";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { listRecentRuns, runRequest } from "@/lib/requests";
import { curlWithCredentials } from "@/lib/requests/curl-with-credentials";
import { resolveRunConnection } from "@/lib/requests/resolve-connection";
import { makeTeamContext } from "@/lib/testing/factories";
import { hostileSecret, leaksIn } from "@/lib/testing/secret-leaks";
import {
  completeAuthorization,
  createConnection,
  getConnection,
  listConnections,
  listTokenEvents,
  renewClientCredentials,
  startAuthorization,
  startReauthorization,
  verifyConnection,
} from "./index";
import { connectionInputSchema } from "./schemas";

/**
 * Property: secrets with quotes, backslashes, unicode, `%`, `+`, `=`, `:` and spaces, sent by every kind of
 * connection to peers that echo them back (a local echo / OAuth token server, httpbin), never appear in any
 * encoding in what is shown (service answers, REST bodies), stored (every row of the team) or logged.
 */

let server: LocalServer;
let bin: string;
/** What the token server issues as the access token in the current case (header-safe). */
let issued = "";

// Echoes everything it got; the token endpoint refuses with an error_description that repeats the secrets.
async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const body = (await readRequestBody(req)).toString("utf8");
  const url = new URL(req.url ?? "/", "http://x");
  const auth = req.headers.authorization ?? "";
  const echo = `${auth} ${req.headers["x-api-key"] ?? ""} ${decodeURIComponent(url.search)} ${body}`;
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "x-echo-auth": auth, "x-echo-url": req.url ?? "" });
    res.end(JSON.stringify(value));
  };
  if (url.pathname.endsWith("/token")) {
    const form = new URLSearchParams(body);
    const basicPair = /^basic (.+)$/i.exec(auth)?.[1];
    const clientSecret =
      form.get("client_secret") ??
      decodeURIComponent(
        Buffer.from(basicPair ?? "", "base64")
          .toString("utf8")
          .split(":")
          .slice(1)
          .join(":")
          .replace(/\+/g, " "),
      );
    const refuse = (error: string) =>
      json(error === "invalid_client" ? 401 : 400, {
        error,
        error_description: `refused ${clientSecret} ${form.get("refresh_token") ?? ""} ${echo}`,
      });
    const grant = form.get("grant_type");
    if (url.pathname.startsWith("/refuse") && grant === "client_credentials") return refuse("invalid_client");
    if (grant === "refresh_token" || form.get("code") === "refuse") return refuse("invalid_grant");
    return json(200, { access_token: issued, token_type: "Bearer", expires_in: 3600, refresh_token: `rt.${clientSecret}`, scope: "read" });
  }
  json(Number(url.searchParams.get("status") ?? 200), { error: "echo", error_description: echo, headers: req.headers, url: req.url, body });
}

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  isolateQueue("masking");
  bin = process.env.HTTPBIN_URL as string;
  server = await startLocalServer((req, res) => void handle(req, res));
});

afterAll(async () => {
  await server?.close();
  await stopQueue();
  await closeHttpAgents();
});

async function apiToken(ctx: TeamContext) {
  const app = await makeClient(ctx, { scopes: ["connections:read", "requests:run", "flows:read", "flows:run", "audit.log:read"], role: "admin" });
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basicHeader(app.clientId, app.clientSecret) }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

async function rest(
  route: Parameters<typeof apiRouteHandler>[0],
  token: string,
  path: string,
  method: string,
  params: Record<string, string> = {},
  body?: unknown,
) {
  const response = await apiRouteHandler(route)(
    new Request(`${BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return response.text();
}

/** Everything the team has in the database that secrets could reach. */
async function teamRows(teamId: string) {
  const db = await getDb();
  return [
    await db.select().from(connections).where(eq(connections.teamId, teamId)),
    await db.select().from(connectionTokenEvents).where(eq(connectionTokenEvents.teamId, teamId)),
    await db.select().from(requestRuns).where(eq(requestRuns.teamId, teamId)),
    await db.select().from(flowRuns).where(eq(flowRuns.teamId, teamId)),
    await db.select().from(flowStepRuns).where(eq(flowStepRuns.teamId, teamId)),
    await db.select().from(auditEvents).where(eq(auditEvents.teamId, teamId)),
  ];
}

/** One case: every connection type, every path; returns everything that was shown, stored or logged. */
async function runEveryPath(general: string, headerSafe: string): Promise<unknown[]> {
  const db = await getDb();
  const ctx = await makeTeamContext("admin");
  const token = await apiToken(ctx);
  const seen: unknown[] = [];
  const keep = <T>(value: T): T => {
    seen.push(value);
    return value;
  };
  // A refusal is shown too (an action's error answer): its message is kept like any answer.
  const shown = async (work: () => Promise<unknown>) => keep(await work().catch((e: Error) => `${e.name}: ${e.message}`));
  issued = headerSafe;
  const echo = `${server.url}/echo`;
  // Allowed on any port of 127.0.0.1: the echo server and httpbin.
  const make = async (input: Record<string, unknown>) =>
    (await createConnection(db, ctx, connectionInputSchema.parse({ testUrl: `${echo}?status=401`, allowedDomains: "127.0.0.1", ...input }))).id;

  const ids = {
    basic: await make({ type: "basic", name: "basic", username: "ada", password: general }),
    query: await make({ type: "api_key", name: "query", apiKey: general, placement: "query", queryParamName: "key" }),
    header: await make({ type: "api_key", name: "header", apiKey: headerSafe, headerKey: "X-Api-Key", scheme: "None" }),
    clientCredentials: await make({
      type: "oauth2_client_credentials",
      name: "cc",
      tokenUrl: `${server.url}/ok/token`,
      clientId: "cid",
      clientSecret: general,
      tokenPlacement: "both",
    }),
    refusedClient: await make({
      type: "oauth2_client_credentials",
      name: "refused",
      tokenUrl: `${server.url}/refuse/token`,
      clientId: "cid",
      clientSecret: general,
    }),
  };
  const connectionIds = Object.values(ids);

  // Authorization code: consent succeeds once, then a refused reauthorization and a refused refresh.
  const codeInput = connectionInputSchema.parse({
    type: "oauth2_code",
    name: "code",
    authorizeUrl: `${server.url}/authorize`,
    tokenUrl: `${server.url}/ok/token`,
    clientId: "cid",
    clientSecret: general,
    clientAuth: "client_secret_post",
    testUrl: `${echo}?status=401`,
    allowedDomains: "127.0.0.1",
  });
  const consent = async (redirectUrl: string, code: string) => {
    const state = new URL(redirectUrl).searchParams.get("state") ?? "";
    return keep(await completeAuthorization(db, ctx.actor.id, new URL(`http://localhost:3000/oauth/callback?code=${code}&state=${state}`)));
  };
  const created = await consent((await startAuthorization(db, ctx, { mode: "create", input: codeInput })).redirectUrl, "good");
  if (!created.ok) throw new Error(created.message);
  connectionIds.push(created.connectionId);
  await consent((await startReauthorization(db, ctx, created.connectionId)).redirectUrl, "refuse");
  await db
    .update(connections)
    .set({ tokenExpiresAt: new Date(Date.now() - 1000) })
    .where(eq(connections.id, created.connectionId));

  for (const id of connectionIds) {
    // Verify (a Test URL that answers 401 with an echo), the connection page, the REST API.
    keep(await verifyConnection(db, ctx, id));
    keep(await rest(connectionRoutes.verifyConnectionRoute, token, `/api/v1/connections/${id}/verify`, "POST", { id }));
    keep(await getConnection(db, ctx, id));
    keep(await rest(connectionRoutes.getConnectionRoute, token, `/api/v1/connections/${id}`, "GET", { id }));
    keep(await listTokenEvents(db, ctx, id));
    // Request builder with debug, and its cURL; the REST run.
    const spec = requestSpecSchema.parse({
      method: "POST",
      url: `${echo}?status=200`,
      debug: true,
      body: { type: "raw", contentType: "json", text: '{"hello": "world"}' },
    });
    keep(await runRequest(db, ctx, { spec, connection: await resolveRunConnection(db, ctx, id) }));
    await shown(() => curlWithCredentials(db, ctx, { connectionId: id, spec }));
    keep(await rest(requestRoutes.runRequestRoute, token, "/api/v1/requests/run", "POST", {}, { connectionId: id, spec }));
  }
  keep(await renewClientCredentials(db, ctx, ids.refusedClient));
  // httpbin: JSON with non-ASCII escaped (\u00e9), the Basic header and the decoded query echoed.
  for (const id of [ids.query, ids.basic]) {
    const spec = requestSpecSchema.parse({ url: `${bin}/anything`, responseType: "text", debug: true });
    const view = keep(await runRequest(db, ctx, { spec, connection: await resolveRunConnection(db, ctx, id) }));
    // The echo arrived (so there was something to mask).
    expect(view).toMatchObject({ ok: true, status: 200 });
  }

  // A flow with a step per connection, run, read back and through the REST API.
  const flow = await makeFlow(db, ctx, {
    steps: connectionIds.map((id, i) =>
      step(
        `s${i}`,
        { method: "POST", url: `${echo}?status=200`, body: { type: "urlencoded", fields: [{ key: "k", value: "v", enabled: true }] } },
        { connection: `connection:${id}`, onError: "continue" },
      ),
    ),
  });
  const started = JSON.parse(
    keep(await rest(flowRoutes.runFlowRoute, token, `/api/v1/flows/${flow.id}/runs`, "POST", { id: flow.id }, { input: {} })),
  ) as { runId: string };
  await executeFlowRun(db, started.runId, "masking-test-job");
  keep(await rest(flowRoutes.getFlowRunRoute, token, `/api/v1/flow-runs/${started.runId}`, "GET", { id: started.runId }));

  keep(await listConnections(db, ctx));
  keep(await listRecentRuns(db, ctx));
  keep(await rest(connectionRoutes.listConnectionsRoute, token, "/api/v1/connections", "GET"));
  keep(await rest(audit.listAuditLogRoute, token, "/api/v1/audit-log", "GET"));
  keep(await teamRows(ctx.team.id));
  return seen;
}

describe("secrets are masked on every path, in every encoding", () => {
  it("property: hostile secrets echoed by peers never come back", { timeout: 600_000 }, async () => {
    const logged: unknown[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String))),
    );
    // Header values must be valid HTTP field values: printable ASCII, no leading or trailing space.
    const headerSafe = hostileSecret().filter((s) => /^[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]$/.test(s));
    const general = hostileSecret().filter((s) => s === s.trim() && !/[\n\r\0]/.test(s));
    try {
      await fc.assert(
        fc.asyncProperty(general, headerSafe, async (g, h) => {
          const seen = await runEveryPath(g, h);
          expect(seen.length).toBeGreaterThan(40);
          const leaks = leaksIn([...seen, ...logged], [g, h, `rt.${g}`]);
          expect(leaks).toEqual([]);
        }),
        { numRuns: Number(process.env.MASKING_RUNS ?? 20), endOnFailure: true },
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
