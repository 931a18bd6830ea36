import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connectionTokenEvents } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { createConnection } from "@/lib/connections";
import { recordTokenEvent } from "@/lib/connections/tokens";
import { executeFlowRun, getFlowRun, startFlowRun } from "@/lib/flows";
import { isolateQueue, makeFlow, step } from "@/lib/flows/testing/helpers";
import { closeHttpAgents } from "@/lib/http";
import { requestSpecSchema } from "@/lib/http/spec";
import { startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { stopQueue } from "@/lib/jobs";
import { getRun, runRequest } from "@/lib/requests";
import { makeTeamContext } from "@/lib/testing/factories";
import { postgresSafe, STORED_NUL } from "./postgres-safe";

// A remote server whose answers carry NUL characters: in a JSON string and key (\u0000), and as raw bytes
// in a text body. (Header values cannot: Node and undici refuse NUL in headers on both ends.)
let server: LocalServer;
beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  isolateQueue("postgres_safe");
  server = await startLocalServer((req, res) => {
    if (req.url?.startsWith("/json")) {
      res.writeHead(200, { "content-type": "application/json", "x-note": "plain" });
      return void res.end('{"na\\u0000me": "a\\u0000b", "list": ["\\u0000"]}');
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(Buffer.from("before\0after"));
  });
});
afterAll(async () => {
  await server.close();
  await stopQueue();
  await closeHttpAgents();
});

describe("postgresSafe", () => {
  it("gives back a value without NUL as it is, not a copy (every run's row passes through here)", () => {
    const row = { url: "https://example.com/a", headers: { "content-type": "text/plain" }, list: ["a", 1, null], when: new Date() };
    expect(postgresSafe(row)).toBe(row);
    const nested = { ok: { a: "b" }, bad: ["x", "y\0"] };
    const cleaned = postgresSafe(nested);
    expect(cleaned).toEqual({ ok: { a: "b" }, bad: ["x", `y${STORED_NUL}`] });
    expect(nested.bad[1]).toBe("y\0");
  });

  it("replaces NUL in strings and keys, deep, and leaves other values alone", () => {
    const when = new Date();
    expect(postgresSafe({ "k\0": ["a\0b", { c: "\0" }], n: 1, when, none: null })).toEqual({
      [`k${STORED_NUL}`]: [`a${STORED_NUL}b`, { c: STORED_NUL }],
      n: 1,
      when,
      none: null,
    });
  });
});

describe("a NUL from a remote server or in a sent request", () => {
  it("is stored in request history as ␀ instead of failing the run after the request was sent", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    for (const path of ["/json", "/text"]) {
      const spec = requestSpecSchema.parse({
        method: "POST",
        url: `${server.url}${path}?q=x%00y`,
        query: [{ key: "sent", value: "12" }],
        body: { type: "raw", contentType: "text", text: "bodytext" },
        responseType: path === "/json" ? "json" : "text",
      });
      const view = await runRequest(db, ctx, { spec, connection: null });
      expect(view.ok).toBe(true);
      const run = await getRun(db, ctx, view.runId);
      expect(run.spec).toMatchObject({ url: `${server.url}${path}?q=x%00y` });
      // The JSON preview is JSON text, where a NUL is already written as the escape \u0000.
      expect(run.responsePreview).toBe(
        path === "/json" ? '{\n  "na\\u0000me": "a\\u0000b",\n  "list": [\n    "\\u0000"\n  ]\n}' : `before${STORED_NUL}after`,
      );
    }
  });

  it("in a request spec is refused before anything is sent, and the refusal is stored", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const parsed = requestSpecSchema.parse({ method: "POST", url: `${server.url}/text`, body: { type: "raw", contentType: "text", text: "x" } });
    // The form refuses NUL (lib/validation/fields.ts); a spec built another way is refused by the executor.
    const spec = { ...parsed, body: { type: "raw" as const, contentType: "text" as const, text: "body\u0000text" } };
    const view = await runRequest(db, ctx, { spec, connection: null });
    expect(view).toMatchObject({ ok: false, kind: "invalid_request", attempts: 0 });
    const run = await getRun(db, ctx, view.runId);
    expect(run.spec).toMatchObject({ body: { text: `body${STORED_NUL}text` } });
  });

  it("is stored in a flow's step record, and the run succeeds", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [step("json", { url: `${server.url}/json` }), step("text", { url: `${server.url}/text`, responseType: "text" })],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    await executeFlowRun(db, started!.runId, "test-job");
    const run = await getFlowRun(db, ctx, started!.runId);
    expect(run.run.status).toBe("succeeded");
    expect(run.steps.map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
    expect(run.steps[0].output).toEqual({ [`na${STORED_NUL}me`]: `a${STORED_NUL}b`, list: [STORED_NUL] });
    expect(run.steps[1].responseBody).toBe(`before${STORED_NUL}after`);
  });

  it("is stored in a token event's message", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const input = connectionInputSchema.parse({ type: "api_key", name: "K", apiKey: "k", headerKey: "X-Key", scheme: "None" });
    const { id } = await createConnection(db, ctx, input);
    await recordTokenEvent(db, { id, teamId: ctx.team.id }, { kind: "refresh_failed", message: "provider said: bad\0thing" });
    const [event] = await db.select().from(connectionTokenEvents).where(eq(connectionTokenEvents.connectionId, id));
    expect(event.message).toBe(`provider said: bad${STORED_NUL}thing`);
  });
});
