import { randomUUID } from "node:crypto";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { and, asc, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connections, oauthClients, oauthConsents, savedRequests } from "@/db/schema";
import { authenticateBearer } from "@/lib/api/bearer";
import type { TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { startFlowWorkers, stopFlowWorkers } from "@/lib/flows";
import { isolateQueue, makeFlow, step } from "@/lib/flows/testing/helpers";
import { OutboundLimiter } from "@/lib/http/outbound-limit";
import { stopQueue } from "@/lib/jobs";
import { checkAuthorizationRequest } from "@/lib/oauth-server/authorize";
import { createApplication, listApplications } from "@/lib/oauth-server/clients";
import { createApplicationSchema } from "@/lib/oauth-server/schemas";
import { decideConsent, issueAuthorizationCode, revokeConsent } from "@/lib/oauth-server/consents";
import { authorizationServerMetadata } from "@/lib/oauth-server/metadata";
import { handleRegistrationRequest } from "@/lib/oauth-server/registration";
import { approveApplication, setRegistrationApproval } from "@/lib/oauth-server/registration-approval";
import type { ScopeName } from "@/lib/oauth-server/scopes";
import { BASE, basic, formRequest, makeClient, pkcePair } from "@/lib/oauth-server/test-helpers";
import { handleIntrospectionRequest } from "@/lib/oauth-server/revoke-introspect";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { saveRequest } from "@/lib/requests";
import { setVariable } from "@/lib/variables";
import type { RequestSpec } from "@/lib/http/spec";
import { apiKeyConnectionRow } from "@/lib/testing/connection-rows";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { toolsForConsent } from "./consent-wording";
import { handleMcpRequest } from "./endpoint";
import { memoryOAuthProvider } from "./testing/oauth-provider";
import { protectedResourceMetadata } from "./resource-metadata";
import { saveMcpTool, suggestToolDefinition } from "./tools";

const REDIRECT = "https://agent.example/callback";
const MCP = `${BASE}/mcp`;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("mcp");
  await startFlowWorkers({ concurrency: 2, pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
});

afterAll(async () => {
  await stopFlowWorkers();
  await stopQueue();
});

/** Authorization code + PKCE with a resource indicator, through the same functions /oauth2/authorize and /oauth2/token use. */
async function userToken(ctx: TeamContext, options: { scopes?: ScopeName[]; resource?: string; tokenResource?: string } = {}) {
  const scopes = options.scopes ?? ["mcp.tools:list", "mcp.tools:execute"];
  const app = await makeClient(ctx, {
    grantType: "authorization_code",
    redirectUris: REDIRECT,
    scopes: [...new Set([...scopes, "connections:read" as const])],
  });
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    scope: scopes.join(" "),
    ...(options.resource === "" ? {} : { resource: options.resource ?? MCP }),
  });
  const db = await getDb();
  const check = await checkAuthorizationRequest(db, query);
  if (check.kind !== "consent") throw new Error(`expected consent, got ${JSON.stringify(check)}`);
  const { client, ...rest } = check.request;
  const decision = await decideConsent(db, {
    ticket: { ...rest, clientRowId: client.id, userId: ctx.actor.id },
    approve: true,
    user: ctx.actor,
    ip: "127.0.0.1",
  });
  if (decision.kind !== "redirect") throw new Error(decision.message);
  const code = new URL(decision.url).searchParams.get("code") ?? "";
  const response = await handleTokenRequest(
    db,
    formRequest(
      "/oauth2/token",
      {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        ...(options.resource === "" ? {} : { resource: options.tokenResource ?? MCP }),
      },
      { authorization: basic(app.clientId, app.clientSecret) },
    ),
  );
  const body = (await response.json()) as { access_token: string; error?: string };
  if (body.error) throw new Error(`token endpoint: ${body.error}`);
  return { token: body.access_token, app, clientRowId: client.id };
}

/** The SDK's own client over Streamable HTTP, its fetch answered by the /mcp route handler. */
async function connect(token: string) {
  const transport = new StreamableHTTPClientTransport(new URL(MCP), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: async (url, init) => handleMcpRequest(await getDb(), new Request(url, init)),
  });
  const client = new Client({ name: "plugboard-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const post = async (token: string | null, message: unknown) =>
  handleMcpRequest(
    await getDb(),
    new Request(MCP, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(message),
    }),
  );

const spec = (url: string) =>
  ({ method: "GET", url, headers: [], query: [], body: { type: "none" }, responseType: "json", timeoutSeconds: 20 }) as unknown as RequestSpec;

async function requestTool(ctx: TeamContext, name = "echo_customer") {
  const saved = await saveRequest(await getDb(), ctx, {
    name: `Echo ${name}`,
    connectionId: null,
    spec: spec(`${process.env.HTTPBIN_URL}/anything/{{input.customerId}}`),
  });
  const suggested = await suggestToolDefinition(await getDb(), ctx, `request:${saved.id}`);
  await saveMcpTool(await getDb(), ctx, {
    target: `request:${saved.id}`,
    name,
    description: "Looks up a customer by id.",
    consentText: suggested.consentText,
    inputSchema: JSON.stringify(suggested.inputSchema),
  });
  return suggested;
}

describe("/mcp", () => {
  it("answers 401 with the protected resource metadata, and refuses a REST token and an MCP token at the REST API", async () => {
    const ctx = await makeTeamContext("admin");
    const anonymous = await post(null, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource/mcp"`);

    // A token for the REST API (no resource) is refused at /mcp, however it is scoped.
    const rest = await userToken(ctx, { scopes: ["connections:read"], resource: "" });
    const refused = await post(rest.token, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');

    // And an MCP token is refused by the REST API.
    const mcp = await userToken(ctx);
    const atRest = await authenticateBearer(await getDb(), new Headers({ authorization: `Bearer ${mcp.token}` }), "127.0.0.1");
    expect(atRest).toMatchObject({ status: 401, error: "invalid_token" });
  });

  it("refuses MCP scopes without the MCP resource, and a resource other than the grant's at the token endpoint", async () => {
    const ctx = await makeTeamContext("admin");
    await expect(userToken(ctx, { resource: "" })).rejects.toThrow(/error=invalid_target&error_description=Scope\+mcp.tools/);
    await expect(userToken(ctx, { scopes: ["mcp.tools:list"], resource: "https://elsewhere.example/mcp" })).rejects.toThrow(/invalid_target/);
    // RFC 8707 §2.2: the token request names the grant's resource or none, never another.
    await expect(userToken(ctx, { tokenResource: `${BASE}/api/v1` })).rejects.toThrow("token endpoint: invalid_target");
  });

  it("binds a client-credentials JWT to /mcp: its aud is the resource, /mcp takes it, MCP scopes need the resource", async () => {
    const ctx = await makeTeamContext("admin");
    const db = await getDb();
    const app = await createApplication(
      db,
      ctx,
      createApplicationSchema.parse({
        name: "MCP service",
        grantType: "client_credentials",
        scopes: ["mcp.tools:list"],
        role: "member",
        accessTokenFormat: "jwt",
      }),
    );
    const tokenRequest = (params: Record<string, string>) =>
      handleTokenRequest(
        db,
        formRequest("/oauth2/token", { grant_type: "client_credentials", ...params }, { authorization: basic(app.clientId, app.clientSecret) }),
      );
    const refused = await tokenRequest({ scope: "mcp.tools:list" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_scope" });
    const issued = (await (await tokenRequest({ resource: MCP })).json()) as { access_token: string; scope: string };
    expect(issued.scope).toBe("mcp.tools:list");
    expect(decodeJwt(issued.access_token).aud).toBe(MCP);
    const introspected = await handleIntrospectionRequest(
      db,
      formRequest("/oauth2/introspect", { token: issued.access_token }, { authorization: basic(app.clientId, app.clientSecret) }),
    );
    expect(await introspected.json()).toMatchObject({ active: true, aud: MCP, scope: "mcp.tools:list" });
    expect((await post(issued.access_token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(200);

    // Without a resource, an opaque token (the one-query path) of a client with both kinds has the REST scopes only.
    const both = await makeClient(ctx, { scopes: ["connections:read", "mcp.tools:list"], role: "member" });
    const rest = await handleTokenRequest(
      db,
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(both.clientId, both.clientSecret) }),
    );
    expect(await rest.json()).toMatchObject({ scope: "connections:read" });
  });

  it("lists the team's tools and calls a saved request against httpbin, through the SDK client", async () => {
    const ctx = await makeTeamContext("admin");
    const suggested = await requestTool(ctx);
    expect(suggested.inputSchema).toEqual({
      type: "object",
      properties: { customerId: { type: "string" } },
      required: ["customerId"],
      additionalProperties: false,
    });
    const { token, app } = await userToken(ctx);
    const client = await connect(token);
    const { tools } = await client.listTools();
    expect(tools).toEqual([
      expect.objectContaining({ name: "echo_customer", description: "Looks up a customer by id.", inputSchema: suggested.inputSchema }),
    ]);

    const result = await client.callTool({ name: "echo_customer", arguments: { customerId: "c-42" } });
    expect(result.isError).toBeFalsy();
    const answer = JSON.parse((result.content as { text: string }[])[0].text) as { status: number; body: { value: { url: string } } };
    expect(answer.status).toBe(200);
    expect(answer.body.value.url).toMatch(/\/anything\/c-42$/);

    const [audit] = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "mcp.tool_called")));
    expect(audit.metadata).toMatchObject({ tool: "echo_customer", outcome: "ok" });
    expect(audit.actorKind).toBe("application");
    expect(audit.actorUserId).toBe(ctx.actor.id);
    expect(audit.actorLabel).toBe(app.name);
    await client.close();
  });

  it("fills {{input.NAME}} from the arguments and {{vars.NAME}} from the team, the secret variable masked in the result", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const secret = `mcp-variable-secret-${randomUUID()}`;
    await setVariable(db, ctx, { name: "CRM_TOKEN", value: secret, secret: true });
    const saved = await saveRequest(db, ctx, {
      name: "Echo with token",
      connectionId: null,
      spec: {
        ...spec(`${process.env.HTTPBIN_URL}/anything/{{input.customerId}}`),
        headers: [{ key: "X-Crm-Token", value: "{{vars.CRM_TOKEN}}", enabled: true }],
      } as RequestSpec,
    });
    const suggested = await suggestToolDefinition(db, ctx, `request:${saved.id}`);
    await saveMcpTool(db, ctx, {
      target: `request:${saved.id}`,
      name: "echo_token",
      description: "Echo.",
      consentText: suggested.consentText,
      inputSchema: JSON.stringify(suggested.inputSchema),
    });
    const { token } = await userToken(ctx);
    const client = await connect(token);
    const result = await client.callTool({ name: "echo_token", arguments: { customerId: "c-7" } });
    expect(result.isError).toBeFalsy();
    const text = (result.content as { text: string }[])[0].text;
    const answer = JSON.parse(text) as { status: number; body: { value: { url: string; headers: Record<string, string> } } };
    expect(answer.status).toBe(200);
    // httpbin received the secret (it echoes the header back) and the model sees it masked.
    expect(answer.body.value.url).toMatch(/\/anything\/c-7$/);
    expect(answer.body.value.headers["X-Crm-Token"]).toBeTruthy();
    expect(text).not.toContain(secret);
    await client.close();
  });

  it("runs a two-step flow with progress notifications and returns the last step's response", async () => {
    const ctx = await makeTeamContext("admin");
    const flow = await makeFlow(await getDb(), ctx, {
      name: "Two steps",
      steps: [
        step("first", { url: `${process.env.HTTPBIN_URL}/anything/{{input.orderId}}` }),
        step("second", { url: `${process.env.HTTPBIN_URL}/anything/after/{{steps.first.body.url}}` }),
      ],
    });
    const suggested = await suggestToolDefinition(await getDb(), ctx, `flow:${flow.id}`);
    await saveMcpTool(await getDb(), ctx, {
      target: `flow:${flow.id}`,
      name: "two_steps",
      description: "Two steps.",
      consentText: suggested.consentText,
      inputSchema: JSON.stringify(suggested.inputSchema),
    });
    const client = await connect((await userToken(ctx)).token);
    const progress: { progress: number; total?: number }[] = [];
    const result = await client.callTool({ name: "two_steps", arguments: { orderId: "o-7" } }, undefined, {
      onprogress: (p) => progress.push({ progress: p.progress, total: p.total }),
    });
    expect(result.isError).toBeFalsy();
    const answer = JSON.parse((result.content as { text: string }[])[0].text) as {
      status: string;
      lastStep: { name: string; responseStatus: number };
    };
    expect(answer).toMatchObject({ status: "succeeded", lastStep: { name: "second", responseStatus: 200 } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ progress: 2, total: 2 });
    await client.close();
  });

  it("refuses a call without mcp.tools:execute, another team's tool, and input that fails the schema", async () => {
    const ctx = await makeTeamContext("admin");
    await requestTool(ctx);
    const listOnly = await userToken(ctx, { scopes: ["mcp.tools:list"] });
    const forbidden = await post(listOnly.token, {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo_customer", arguments: { customerId: "x" } },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="mcp.tools:execute"');

    const other = await makeTeamContext("admin", "Other team");
    const otherClient = await connect((await userToken(other)).token);
    expect((await otherClient.listTools()).tools).toEqual([]);
    const foreign = await otherClient.callTool({ name: "echo_customer", arguments: { customerId: "x" } });
    expect(foreign).toMatchObject({ isError: true, content: [{ type: "text", text: "Unknown tool: echo_customer." }] });

    const client = await connect((await userToken(ctx)).token);
    const bad = await client.callTool({ name: "echo_customer", arguments: { customerId: 5, extra: true } });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0].text).toMatch(/do not match the tool's input schema/);
    // Still serving after the refusals.
    expect((await client.listTools()).tools).toHaveLength(1);
    await Promise.all([client.close(), otherClient.close()]);
  });

  it("words each of the team's tools for people, for the consent screen", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const suggested = await requestTool(ctx);
    expect(suggested.consentText).toBe("Run the saved request “Echo echo_customer” with the team's connection");
    await requestTool(await makeTeamContext("admin", "Other team"), "elsewhere");
    const saved = (await db.select().from(savedRequests).where(eq(savedRequests.teamId, ctx.team.id)))[0];
    await expect(
      saveMcpTool(db, ctx, { target: `request:${saved.id}`, name: "unworded", description: "x", consentText: " ", inputSchema: '{"type":"object"}' }),
    ).rejects.toThrow(/consent screen shows it/);
    await saveMcpTool(db, ctx, {
      target: `request:${saved.id}`,
      name: "a_lookup",
      description: "For the model.",
      consentText: "Look up a customer in the CRM",
      inputSchema: '{"type":"object"}',
    });
    expect(await toolsForConsent(db, ctx.team.id)).toEqual({
      tools: [
        { name: "a_lookup", consentText: "Look up a customer in the CRM" },
        { name: "echo_customer", consentText: suggested.consentText },
      ],
      more: 0,
    });
  });

  it("offers connection health and recent runs as read-only resources to a token with mcp.resources:read", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const other = await makeTeamContext("admin", "Other team");
    const apiKey = `resource-secret-${randomUUID()}`;
    await db
      .insert(connections)
      .values([
        apiKeyConnectionRow({ teamId: ctx.team.id, createdBy: ctx.actor.id }, "CRM", { status: "failed", apiKey }),
        apiKeyConnectionRow({ teamId: other.team.id, createdBy: other.actor.id }, "Elsewhere"),
      ]);
    await requestTool(ctx);
    const client = await connect((await userToken(ctx, { scopes: ["mcp.tools:execute", "mcp.resources:read"] })).token);
    expect((await client.callTool({ name: "echo_customer", arguments: { customerId: "r-1" } })).isError).toBeFalsy();

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["plugboard://connections/health", "plugboard://runs/recent"]);
    const read = async (uri: string) => {
      const { contents } = await client.readResource({ uri });
      const text = (contents[0] as { text: string }).text;
      return { text, json: JSON.parse(text) as Record<string, Record<string, unknown>[]> };
    };
    const health = await read("plugboard://connections/health");
    expect(health.json.connections).toEqual([expect.objectContaining({ name: "CRM", type: "api_key", status: "failed", lastVerifyOk: false })]);
    expect(health.text).not.toContain(apiKey);
    const runs = await read("plugboard://runs/recent");
    expect(runs.json.requestRuns).toEqual([
      expect.objectContaining({ method: "GET", ok: true, status: 200, url: expect.stringMatching(/\/anything\/r-1$/) }),
    ]);
    expect(runs.json.flowRuns).toEqual([]);
    await expect(client.readResource({ uri: "plugboard://connections/secrets" })).rejects.toThrow(/Resource not found/);

    // Tools scopes do not open resources.
    const toolsOnly = await userToken(ctx, { scopes: ["mcp.tools:list", "mcp.tools:execute"] });
    const refused = await post(toolsOnly.token, { jsonrpc: "2.0", id: 1, method: "resources/read", params: { uri: "plugboard://runs/recent" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('scope="mcp.resources:read"');
    await client.close();
  });

  it("holds tool calls to the instance's outbound bound: a call beyond it is a busy tool error", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const saved = await saveRequest(db, ctx, { name: "Slow", connectionId: null, spec: spec(`${process.env.HTTPBIN_URL}/delay/1`) });
    await saveMcpTool(db, ctx, {
      target: `request:${saved.id}`,
      name: "slow",
      description: "Slow.",
      consentText: "Wait",
      inputSchema: '{"type":"object"}',
    });
    const client = await connect((await userToken(ctx)).token);
    const kept = globalThis.__plugboardOutboundLimiter;
    globalThis.__plugboardOutboundLimiter = new OutboundLimiter({ maxInFlight: 1, teamShare: 1, maxQueued: 0 });
    try {
      const results = await Promise.all([client.callTool({ name: "slow", arguments: {} }), client.callTool({ name: "slow", arguments: {} })]);
      const [ok, busy] = results.toSorted((a, b) => Number(Boolean(a.isError)) - Number(Boolean(b.isError)));
      expect(ok.isError).toBeFalsy();
      expect(busy.isError).toBe(true);
      expect((busy.content as { text: string }[])[0].text).toMatch(/^Plugboard is busy: .*try again in \d+ s/);
    } finally {
      globalThis.__plugboardOutboundLimiter = kept;
      await client.close();
    }
  });

  it("limits each OAuth client to PLUGBOARD_MCP_RATE_LIMIT requests a minute", async () => {
    const ctx = await makeTeamContext("admin");
    const { token } = await userToken(ctx);
    const other = await userToken(ctx);
    process.env.PLUGBOARD_MCP_RATE_LIMIT = "2";
    resetEnvCache();
    try {
      const list = (t: string) => post(t, { jsonrpc: "2.0", id: 1, method: "tools/list" });
      expect((await list(token)).status).toBe(200);
      expect((await list(token)).status).toBe(200);
      const limited = await list(token);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("60");
      // Per client: another application of the same user is not held back.
      expect((await list(other.token)).status).toBe(200);
    } finally {
      delete process.env.PLUGBOARD_MCP_RATE_LIMIT;
      resetEnvCache();
    }
  });

  it("answers 401 on the next call once the user revokes the consent", async () => {
    const ctx = await makeTeamContext("admin");
    const { token, clientRowId } = await userToken(ctx);
    expect((await post(token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(200);
    const [consent] = await (await getDb())
      .select()
      .from(oauthConsents)
      .where(and(eq(oauthConsents.clientId, clientRowId), eq(oauthConsents.userId, ctx.actor.id)));
    await revokeConsent(await getDb(), ctx.actor, consent.id, null);
    const after = await post(token, { jsonrpc: "2.0", id: 2, method: "tools/list" });
    expect(after.status).toBe(401);
  });
});

/** The app's routes an MCP client reaches, answered by their handlers (no Next build in a vitest file). */
async function appFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const db = await getDb();
  const routes: Record<string, () => Promise<Response>> = {
    "/mcp": () => handleMcpRequest(db, request),
    "/.well-known/oauth-protected-resource/mcp": async () => Response.json(protectedResourceMetadata()),
    "/.well-known/oauth-authorization-server": async () => Response.json(authorizationServerMetadata()),
    "/oauth2/register": () => handleRegistrationRequest(db, request),
    "/oauth2/token": () => handleTokenRequest(db, request),
  };
  return routes[new URL(request.url).pathname]?.() ?? new Response("Not found", { status: 404 });
}

/** An MCP client of the official SDK with its OAuth provider, keeping what a real agent keeps between runs. */
function sdkAgent(name: string) {
  const { provider, saved } = memoryOAuthProvider(name, REDIRECT, { token_endpoint_auth_method: "client_secret_post" });
  const transport = () => new StreamableHTTPClientTransport(new URL(MCP), { authProvider: provider, fetch: appFetch });
  return {
    saved,
    /** Connects; without a token the SDK discovers, registers (once) and asks for authorization: the URL is returned. */
    async authorizationUrl(): Promise<{ url: URL; transport: StreamableHTTPClientTransport }> {
      saved.authUrl = undefined;
      const first = transport();
      await expect(new Client({ name: "agent", version: "1.0.0" }).connect(first)).rejects.toThrow(UnauthorizedError);
      if (!saved.authUrl || !saved.info) throw new Error("the client did not register and redirect");
      return { url: saved.authUrl, transport: first };
    },
    async connect() {
      const client = new Client({ name: "agent", version: "1.0.0" });
      await client.connect(transport());
      return client;
    },
  };
}

/** The user's answer on the consent screen, as the page (ticket naming the user's current team) and its form give it. */
async function consent(url: URL, ctx: TeamContext) {
  const db = await getDb();
  const check = await checkAuthorizationRequest(db, url.searchParams);
  if (check.kind !== "consent") throw new Error(`expected consent, got ${JSON.stringify(check)}`);
  const { client: view, ...rest } = check.request;
  const registration = check.request.pendingRegistration ? { clientId: view.clientId, teamId: ctx.team.id } : null;
  const decision = await decideConsent(db, {
    ticket: { ...rest, clientRowId: view.id, userId: ctx.actor.id, registration },
    approve: true,
    user: ctx.actor,
    ip: "127.0.0.1",
  });
  if (decision.kind !== "redirect") throw new Error(decision.message);
  return { request: check.request, redirect: new URL(decision.url) };
}

describe("the SDK client's OAuth flow", () => {
  it("discovers the server from the 401, registers dynamically, gets consent and a token for /mcp, and calls a tool", async () => {
    const ctx = await makeTeamContext("admin");
    await requestTool(ctx, "lookup");
    // The team wants approvals: an admin's own allowing is one.
    await setRegistrationApproval(await getDb(), ctx, true);
    const agent = sdkAgent("Test agent");
    const { url: authUrl, transport: first } = await agent.authorizationUrl();
    expect(authUrl.searchParams.get("resource")).toBe(MCP);

    const { request, redirect } = await consent(authUrl, ctx);
    expect(request).toMatchObject({
      pendingRegistration: true,
      scopes: ["mcp.tools:list", "mcp.tools:execute", "mcp.resources:read"],
      resource: MCP,
    });
    await first.finishAuth(redirect.searchParams.get("code") ?? "");

    const client = await agent.connect();
    const result = await client.callTool({ name: "lookup", arguments: { customerId: "dyn-1" } });
    expect(result.isError).toBeFalsy();
    const db = await getDb();
    const [registered] = await db
      .select()
      .from(oauthClients)
      .where(eq(oauthClients.clientId, agent.saved.info?.client_id ?? ""));
    expect(registered).toMatchObject({
      teamId: ctx.team.id,
      registration: "dynamic",
      createdBy: ctx.actor.id,
      approvedBy: ctx.actor.id,
      name: "Test agent",
    });
    await client.close();
  });

  it("keeps a registration a member allowed waiting for an admin's approval: no code, no token, until an admin approves it", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin");
    await requestTool(admin, "lookup");
    await setRegistrationApproval(db, admin, true);
    const member = await addMember(admin);
    const agent = sdkAgent("Waiting agent");

    // The member allows it: it joins the team's Applications, and the agent is told it waits (RFC 6749 §4.1.2.1).
    const first = await consent((await agent.authorizationUrl()).url, member);
    expect(first.redirect.searchParams.get("error")).toBe("access_denied");
    expect(first.redirect.searchParams.get("error_description")).toMatch(/waits for an admin/);
    expect(first.redirect.searchParams.get("code")).toBeNull();
    const clientId = agent.saved.info?.client_id ?? "";
    const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId));
    expect(row).toMatchObject({ teamId: admin.team.id, registration: "dynamic", createdBy: member.actor.id, approvedBy: null, approvedAt: null });
    const listed = async () => (await listApplications(db, admin)).find((a) => a.clientId === clientId);
    expect(await listed()).toMatchObject({ createdByName: "Second User", approvedAt: null, approvedByName: null });

    // Until approved: the authorization endpoint sends the agent back with unauthorized_client, and the token
    // endpoint refuses even a code that got out some other way.
    const again = await checkAuthorizationRequest(db, (await agent.authorizationUrl()).url.searchParams);
    expect(again.kind === "redirect" && new URL(again.url).searchParams.get("error")).toBe("unauthorized_client");
    const { code } = await db.transaction((tx) =>
      issueAuthorizationCode(tx, row, member.actor.id, {
        scopes: ["mcp.tools:list"],
        resource: MCP,
        redirectUri: REDIRECT,
        redirectUriSent: true,
        codeChallenge: pkcePair().challenge,
      }),
    );
    const token = await handleTokenRequest(
      db,
      formRequest("/oauth2/token", {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        client_id: clientId,
        client_secret: agent.saved.info?.client_secret ?? "",
      }),
    );
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: "unauthorized_client" });

    // Only an admin approves; who did is listed and audited.
    await expect(approveApplication(db, member, row.id)).rejects.toThrow();
    await approveApplication(db, admin, row.id);
    await expect(approveApplication(db, admin, row.id)).rejects.toThrow(/not found/);
    expect(await listed()).toMatchObject({ approvedByName: "Test User" });
    const audit = await db
      .select({ action: auditEvents.action, actorUserId: auditEvents.actorUserId, metadata: auditEvents.metadata })
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, admin.team.id), eq(auditEvents.targetId, row.id)))
      .orderBy(asc(auditEvents.createdAt));
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: "oauth.client_registered",
          actorUserId: member.actor.id,
          metadata: expect.objectContaining({ pendingApproval: true }),
        }),
        expect.objectContaining({ action: "oauth.client_approved", actorUserId: admin.actor.id }),
      ]),
    );

    // Now the member's consent gives a code, and the agent calls the tool.
    const last = await agent.authorizationUrl();
    const allowed = await consent(last.url, member);
    expect(allowed.request.pendingRegistration).toBe(false);
    await last.transport.finishAuth(allowed.redirect.searchParams.get("code") ?? "");
    const client = await agent.connect();
    expect((await client.callTool({ name: "lookup", arguments: { customerId: "approved-1" } })).isError).toBeFalsy();
    await client.close();
  });

  it("rate-limits registrations per address and refuses metadata it cannot honour", async () => {
    const register = async (body: unknown, ip: string) =>
      handleRegistrationRequest(
        await getDb(),
        new Request(`${BASE}/oauth2/register`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": ip },
          body: JSON.stringify(body),
        }),
      );
    const bad = await register({ redirect_uris: ["http://agent.example/cb"] }, "10.99.0.1");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_redirect_uri" });
    expect((await register({ redirect_uris: [REDIRECT], scope: "connections:read" }, "10.99.0.1")).status).toBe(400);
    const ip = "10.99.0.2";
    for (let i = 0; i < 10; i++) expect((await register({ redirect_uris: [REDIRECT] }, ip)).status).toBe(201);
    expect((await register({ redirect_uris: [REDIRECT] }, ip)).status).toBe(429);
  });
});
