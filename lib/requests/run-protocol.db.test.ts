import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { requestSpecSchema } from "@/lib/http/spec";
import { generateTestCertificates, type TestCertificates } from "@/lib/http/testing/certificates";
import { startHttp2Server } from "@/lib/http/testing/http2-server";
import type { LocalServer } from "@/lib/http/testing/local-server";
import { makeTeamContext } from "@/lib/testing/factories";
import { listRecentRuns, runRequest } from "./index";

describe("the HTTP version in the request builder's answer and history", () => {
  let certs: TestCertificates;
  let server: LocalServer;

  beforeAll(async () => {
    process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
    resetEnvCache();
    certs = generateTestCertificates();
    server = await startHttp2Server((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ httpVersion: req.httpVersion }));
    }, certs.selfSigned);
  });
  afterAll(async () => {
    await server.close();
    await closeHttpAgents();
  });

  it("shows HTTP/2, in the view, its debug output and the history row; Force HTTP/1.1 shows HTTP/1.1", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const base = { url: `${server.url}/v`, caCertificatePem: certs.selfSigned.cert, debug: true };
    const h2 = await runRequest(db, ctx, { spec: requestSpecSchema.parse(base), connection: null });
    expect(h2).toMatchObject({ ok: true, protocol: "HTTP/2", body: { type: "json", value: { httpVersion: "2.0" } } });
    expect(h2.requests?.[0]?.protocol).toBe("HTTP/2");
    const h1 = await runRequest(db, ctx, { spec: requestSpecSchema.parse({ ...base, forceHttp1: true }), connection: null });
    expect(h1).toMatchObject({ ok: true, protocol: "HTTP/1.1", body: { type: "json", value: { httpVersion: "1.1" } } });
    const history = await listRecentRuns(db, ctx);
    expect(history.find((r) => r.id === h2.runId)?.protocol).toBe("HTTP/2");
    expect(history.find((r) => r.id === h1.runId)?.protocol).toBe("HTTP/1.1");
  });
});
