import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import type http from "node:http";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connectionChecks, connections, connectionTokenEvents, flowRuns, flowStepRuns, requestRuns } from "@/db/schema";
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
import { generateClientCertificates, type ClientCertificateFixtures } from "@/lib/http/testing/certificates";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { stopQueue } from "@/lib/jobs";
import { pemBodyLines } from "@/lib/oauth-client";
import { BASE, basic as basicHeader, formRequest, makeClient } from "@/lib/oauth-server/test-helpers";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { callMcpTool } from "@/lib/mcp/call-tool";
import { saveMcpTool } from "@/lib/mcp/tools";
import { listRecentRuns, runRequest, saveRequest } from "@/lib/requests";
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
/**
 * Secrets a peer knows without being sent them (a provider quoting the key or passphrase it was configured
 * with), by the path segment naming the connection: a private key is never sent, so only a peer that quotes
 * it can test that it is masked. Each is quoted in every shape peers use (see `quote`).
 */
const quoted = new Map<string, string[]>();

/** A secret as a peer may quote it: as is, percent-encoded, in a Basic credential; multi-line text also with CRLF, LF, and line by line. */
function quote(secret: string): string {
  const shapes = [secret, encodeURIComponent(secret), `Basic ${Buffer.from(`user:${secret}`).toString("base64")}`];
  if (/[\r\n]/.test(secret)) {
    const lines = secret.split(/\r?\n/);
    shapes.push(lines.join("\r\n"), lines.join("\n"), ...lines.map((l) => `line ${l} .`));
  }
  return shapes.join(" | ");
}

// Echoes everything it got; the token endpoint refuses with an error_description that repeats the secrets.
async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const body = (await readRequestBody(req)).toString("utf8");
  const url = new URL(req.url ?? "/", "http://x");
  const auth = req.headers.authorization ?? "";
  const tag = url.pathname.split("/").find((segment) => quoted.has(segment));
  const known = (tag && quoted.get(tag)?.map(quote).join(" ")) ?? "";
  const echo = `${auth} ${req.headers["x-api-key"] ?? ""} ${decodeURIComponent(url.search)} ${body} ${known}`;
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
    if (url.pathname.startsWith("/refuse") && grant !== "authorization_code") return refuse("invalid_client");
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
    await db.select().from(connectionChecks).where(eq(connectionChecks.teamId, teamId)),
    await db.select().from(requestRuns).where(eq(requestRuns.teamId, teamId)),
    await db.select().from(flowRuns).where(eq(flowRuns.teamId, teamId)),
    await db.select().from(flowStepRuns).where(eq(flowStepRuns.teamId, teamId)),
    await db.select().from(auditEvents).where(eq(auditEvents.teamId, teamId)),
  ];
}

type CaseContext = {
  db: Awaited<ReturnType<typeof getDb>>;
  ctx: TeamContext;
  /** Keeps what was shown (an answer the user or API client sees). */
  keep: <T>(value: T) => T;
  /** Creates a connection whose Test URL is the echo under `/echo/<name>` (its quoted secrets' tag). */
  make: (input: Record<string, unknown> & { name: string }) => Promise<string>;
  /** The echo URL of a connection's tag. */
  echoOf: (tag: string) => string;
};

/**
 * The connections of one case by tag (their echo path); those whose requests fail before reaching the peer (a
 * refused token), which to renew, and which to send to httpbin too.
 */
type CaseConnections = { ids: Record<string, string>; failing: string[]; renew: string[]; httpbin: string[] };

/** One case: the given connections, every path; returns everything that was shown, stored or logged. */
async function runEveryPath(setup: (c: CaseContext) => Promise<CaseConnections>): Promise<unknown[]> {
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
  const echoOf = (tag: string) => `${server.url}/echo/${tag}`;
  // Allowed on any port of 127.0.0.1: the echo server and httpbin.
  const make = async (input: Record<string, unknown> & { name: string }) =>
    (
      await createConnection(
        db,
        ctx,
        connectionInputSchema.parse({ testUrl: `${echoOf(input.name)}?status=401`, allowedDomains: "127.0.0.1", ...input }),
      )
    ).id;
  const { ids, failing, renew, httpbin } = await setup({ db, ctx, keep, make, echoOf });

  for (const [tag, id] of Object.entries(ids)) {
    // Verify (a Test URL that answers 401 with an echo), the connection page, the REST API.
    keep(await verifyConnection(db, ctx, id));
    keep(await rest(connectionRoutes.verifyConnectionRoute, token, `/api/v1/connections/${id}/verify`, "POST", { id }));
    keep(await getConnection(db, ctx, id));
    keep(await rest(connectionRoutes.getConnectionRoute, token, `/api/v1/connections/${id}`, "GET", { id }));
    keep(await listTokenEvents(db, ctx, id));
    // Request builder with debug, and its cURL; the REST run.
    const spec = requestSpecSchema.parse({
      method: "POST",
      url: `${echoOf(tag)}?status=200`,
      debug: true,
      body: { type: "raw", contentType: "json", text: '{"hello": "world"}' },
    });
    const view = keep(await runRequest(db, ctx, { spec, connection: await resolveRunConnection(db, ctx, id) }));
    // The peer was reached (so there was something to mask), and quoted the keys it knows (their armor lines stay).
    if (!failing.includes(tag)) expect(view).toMatchObject({ ok: true, status: 200 });
    if (quoted.get(tag)?.some((q) => q.includes("-----BEGIN"))) expect(JSON.stringify(view)).toContain("-----BEGIN");
    await shown(() => curlWithCredentials(db, ctx, { connectionId: id, spec }));
    keep(await rest(requestRoutes.runRequestRoute, token, "/api/v1/requests/run", "POST", {}, { connectionId: id, spec }));
    // The same request as an MCP tool: what an agent is answered.
    const saved = await saveRequest(db, ctx, { name: `tool ${tag}`, connectionId: id, spec });
    const tool = `tool_${Object.keys(ids).indexOf(tag)}`;
    await saveMcpTool(db, ctx, {
      target: `request:${saved.id}`,
      name: tool,
      description: "Masking check.",
      consentText: "Check masking",
      inputSchema: '{"type": "object"}',
    });
    keep(await callMcpTool(db, ctx, { name: tool, args: {} }));
  }
  for (const tag of renew) keep(await renewClientCredentials(db, ctx, ids[tag]));
  // httpbin: JSON with non-ASCII escaped (\u00e9), the Basic header and the decoded query echoed.
  for (const tag of httpbin) {
    const spec = requestSpecSchema.parse({ url: `${bin}/anything`, responseType: "text", debug: true });
    const view = keep(await runRequest(db, ctx, { spec, connection: await resolveRunConnection(db, ctx, ids[tag]) }));
    // The echo arrived (so there was something to mask).
    expect(view).toMatchObject({ ok: true, status: 200 });
  }

  // A flow with a step per connection, run, read back and through the REST API.
  const flow = await makeFlow(db, ctx, {
    steps: Object.entries(ids).map(([tag, id], i) =>
      step(
        `s${i}`,
        { method: "POST", url: `${echoOf(tag)}?status=200`, body: { type: "urlencoded", fields: [{ key: "k", value: "v", enabled: true }] } },
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

/** The four original types: secrets sent to the peers (and echoed), an authorization-code consent, a refused refresh. */
function classicConnections(general: string, headerSafe: string) {
  return async ({ db, ctx, keep, make, echoOf }: CaseContext): Promise<CaseConnections> => {
    issued = headerSafe;
    const ids: Record<string, string> = {
      basic: await make({ type: "basic", name: "basic", username: "ada", password: general }),
      query: await make({ type: "api_key", name: "query", apiKey: general, placement: "query", queryParamName: "key" }),
      header: await make({ type: "api_key", name: "header", apiKey: headerSafe, headerKey: "X-Api-Key", scheme: "None" }),
      cc: await make({
        type: "oauth2_client_credentials",
        name: "cc",
        tokenUrl: `${server.url}/ok/token`,
        clientId: "cid",
        clientSecret: general,
        tokenPlacement: "both",
      }),
      refused: await make({
        type: "oauth2_client_credentials",
        name: "refused",
        tokenUrl: `${server.url}/refuse/token`,
        clientId: "cid",
        clientSecret: general,
      }),
    };

    // Authorization code: consent succeeds once, then a refused reauthorization and a refused refresh.
    const codeInput = connectionInputSchema.parse({
      type: "oauth2_code",
      name: "code",
      authorizeUrl: `${server.url}/authorize`,
      tokenUrl: `${server.url}/ok/token`,
      clientId: "cid",
      clientSecret: general,
      clientAuth: "client_secret_post",
      testUrl: `${echoOf("code")}?status=401`,
      allowedDomains: "127.0.0.1",
    });
    const consent = async (redirectUrl: string, code: string) => {
      const state = new URL(redirectUrl).searchParams.get("state") ?? "";
      return keep(await completeAuthorization(db, ctx.actor.id, new URL(`http://localhost:3000/oauth/callback?code=${code}&state=${state}`)));
    };
    const created = await consent((await startAuthorization(db, ctx, { mode: "create", input: codeInput })).redirectUrl, "good");
    if (!created.ok) throw new Error(created.message);
    ids.code = created.connectionId;
    await consent((await startReauthorization(db, ctx, created.connectionId)).redirectUrl, "refuse");
    await db
      .update(connections)
      .set({ tokenExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(connections.id, created.connectionId));
    return { ids, failing: ["refused", "code"], renew: ["refused"], httpbin: ["query", "basic"] };
  };
}

/** Secrets of the newer schemes, generated per case. */
type NewSecrets = {
  consumerSecret: string;
  tokenSecret: string;
  secretAccessKey: string;
  sessionToken: string;
  customHeader: string;
  customQuery: string;
  keyPassphrase: string;
  password: string;
};

/** Keys made once: generating RSA keys per case would cost more than the case. */
type Keys = { oauth1Rsa: string; clientJwt: string; serviceAccount: string; certificates: ClientCertificateFixtures };

/** The client certificate's key as PKCS#8 PEM, encrypted with the case's (hostile) passphrase. */
function encryptedClientKey(keys: Keys, passphrase: string): string {
  return createPrivateKey(keys.certificates.client.key).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }).toString();
}

/**
 * The newer secret shapes: OAuth 1.0a (PLAINTEXT sends its secrets; RSA-SHA1's key is quoted), AWS SigV4 with a
 * session token and a PEM client certificate whose key is encrypted with a hostile passphrase, custom auth with
 * a PKCS#12 client certificate, private_key_jwt clients (one refused) whose key was pasted with CRLF, and a JWT
 * bearer service account with an EC key (SEC1 PEM), a refused password grant and Digest.
 * Every peer also quotes the connection's secrets it was never sent (`quoted`).
 */
function newShapeConnections(s: NewSecrets, keys: Keys, encryptedKey: string) {
  return async ({ make }: CaseContext): Promise<CaseConnections> => {
    issued = s.sessionToken;
    const { certificates } = keys;
    const pkcs12 = certificates.pkcs12.toString("base64");
    const clientJwtKey = keys.clientJwt.replace(/\n/g, "\r\n");
    quoted.set("oauth1-plaintext", [s.consumerSecret, s.tokenSecret]);
    quoted.set("oauth1-rsa", [keys.oauth1Rsa]);
    quoted.set("aws", [s.secretAccessKey, s.sessionToken, encryptedKey, s.keyPassphrase]);
    quoted.set("custom", [s.customHeader, s.customQuery, pkcs12, certificates.pkcs12Passphrase]);
    quoted.set("pkjwt", [clientJwtKey]);
    quoted.set("pkjwt-refused", [keys.clientJwt]);
    quoted.set("jwt-bearer", [keys.serviceAccount]);
    quoted.set("digest", [s.password]);
    const privateKeyJwt = (name: string, path: string) =>
      make({
        type: "oauth2_client_credentials",
        name,
        tokenUrl: `${server.url}/${path}/${name}/token`,
        clientId: "cid",
        clientAuth: "private_key_jwt",
        privateKey: clientJwtKey,
        keyId: "k1",
        signingAlg: "RS256",
      });
    const ids = {
      "oauth1-plaintext": await make({
        type: "oauth1",
        name: "oauth1-plaintext",
        consumerKey: "ck",
        consumerSecret: s.consumerSecret,
        token: "tok",
        oauthTokenSecret: s.tokenSecret,
        signatureMethod: "PLAINTEXT",
        placement: "query",
      }),
      "oauth1-rsa": await make({
        type: "oauth1",
        name: "oauth1-rsa",
        consumerKey: "ck",
        token: "tok",
        signatureMethod: "RSA-SHA1",
        privateKeyPem: keys.oauth1Rsa,
      }),
      aws: await make({
        type: "aws_sigv4",
        name: "aws",
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: s.secretAccessKey,
        sessionToken: s.sessionToken,
        region: "us-east-1",
        service: "execute-api",
        tlsCertificate: certificates.client.cert,
        tlsPrivateKey: encryptedKey,
        tlsPassphrase: s.keyPassphrase,
      }),
      custom: await make({
        type: "custom",
        name: "custom",
        secrets: [
          { name: "h", value: s.customHeader },
          { name: "q", value: s.customQuery },
          { name: "user", value: "ann" },
        ],
        template: JSON.stringify({
          headers: { "X-Custom": "{{secret.h}}", Authorization: "Basic {{base64 secret.user ':' secret.q}}" },
          query: { q: "{{secret.q}}" },
          body: { b: "{{secret.q}}" },
        }),
        tlsPkcs12: pkcs12,
        tlsPassphrase: certificates.pkcs12Passphrase,
      }),
      pkjwt: await privateKeyJwt("pkjwt", "ok"),
      "pkjwt-refused": await privateKeyJwt("pkjwt-refused", "refuse"),
      "jwt-bearer": await make({
        type: "oauth2_jwt_bearer",
        name: "jwt-bearer",
        tokenUrl: `${server.url}/ok/jwt-bearer/token`,
        assertionIssuer: "svc@example.test",
        assertionKey: keys.serviceAccount,
        assertionAlg: "ES256",
      }),
      // Refused: the token endpoint's error quotes the form that carried the password and client secret.
      password: await make({
        type: "oauth2_password",
        name: "password",
        tokenUrl: `${server.url}/refuse/password/token`,
        username: "ann",
        password: s.password,
        clientId: "cid",
        clientAuth: "client_secret_post",
        clientSecret: s.tokenSecret,
      }),
      // The echo asks for no Digest challenge: the password is never sent, only quoted.
      digest: await make({ type: "digest", name: "digest", username: "ann", password: s.password }),
    };
    return { ids, failing: ["pkjwt-refused", "password"], renew: ["pkjwt-refused", "password"], httpbin: [] };
  };
}

/** What must never be found: each secret, and each line of a multi-line one (a PEM's base64 lines; short tails excepted). */
function mustNotLeak(secrets: string[]): string[] {
  return secrets.flatMap((secret) => (/[\r\n]/.test(secret) ? pemBodyLines(secret).filter((l) => l.length >= 16) : [secret]));
}

describe("secrets are masked on every path, in every encoding", () => {
  const logged: unknown[] = [];
  let spies: Array<{ mockRestore(): void }> = [];
  beforeAll(() => {
    spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String))),
    );
  });
  afterAll(() => {
    for (const spy of spies) spy.mockRestore();
  });
  // Header values must be valid HTTP field values: printable ASCII, no leading or trailing space.
  const headerSafe = hostileSecret().filter((s) => /^[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]$/.test(s));
  const general = hostileSecret().filter((s) => s === s.trim() && !/[\n\r\0]/.test(s));
  const runs = (fallback: number) => Number(process.env.MASKING_RUNS ?? fallback);

  it("property: hostile secrets echoed by peers never come back", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(general, headerSafe, async (g, h) => {
        const seen = await runEveryPath(classicConnections(g, h));
        expect(seen.length).toBeGreaterThan(40);
        const leaks = leaksIn([...seen, ...logged], [g, h, `rt.${g}`]);
        expect(leaks).toEqual([]);
      }),
      { numRuns: runs(20), endOnFailure: true },
    );
  });

  it("property: the newer secret shapes (private keys, passphrases, PKCS#12, secret access keys) never come back", { timeout: 600_000 }, async () => {
    const rsaPem = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const keys: Keys = {
      oauth1Rsa: rsaPem(),
      clientJwt: rsaPem(),
      serviceAccount: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "sec1", format: "pem" }).toString(),
      certificates: generateClientCertificates(),
    };
    const secrets = fc.record({
      consumerSecret: general,
      tokenSecret: general,
      secretAccessKey: general,
      sessionToken: headerSafe,
      customHeader: headerSafe,
      customQuery: general,
      keyPassphrase: general,
      password: general,
    });
    try {
      await fc.assert(
        fc.asyncProperty(secrets, async (s) => {
          // Encrypted anew (random salt and IV) per case: the lines looked for are this case's.
          const encryptedKey = encryptedClientKey(keys, s.keyPassphrase);
          const seen = await runEveryPath(newShapeConnections(s, keys, encryptedKey));
          expect(seen.length).toBeGreaterThan(40);
          const leaks = leaksIn(
            [...seen, ...logged],
            mustNotLeak([
              ...Object.values(s),
              keys.oauth1Rsa,
              keys.clientJwt,
              keys.serviceAccount,
              encryptedKey,
              keys.certificates.pkcs12.toString("base64"),
              keys.certificates.pkcs12Passphrase,
            ]),
          );
          expect(leaks).toEqual([]);
        }),
        // Each case makes more connections than the classic one, and the shapes are fixed: fewer cases suffice.
        { numRuns: runs(6), endOnFailure: true },
      );
    } finally {
      quoted.clear();
    }
  });
});
