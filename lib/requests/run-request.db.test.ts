import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { countingDb, statementsSentDuring } from "@/lib/testing/counting-db";
import { resetEnvCache } from "@/lib/config/env";
import type { CredentialProvider } from "@/lib/http/types";
import { requestSpecSchema } from "@/lib/http/spec";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { makeTeamContext } from "@/lib/testing/factories";
import { getRun, listRecentRuns, runRequest, saveRequest, listSavedRequests } from "./index";
import { createMasker } from "@/lib/http/mask";

const SECRET = "sk_live_do_not_leak_0123456789";

function headerProvider(): CredentialProvider {
  return {
    allowedHosts: ["127.0.0.1"],
    async apply({ headers }) {
      headers.set("X-Api-Key", SECRET);
    },
    masker: createMasker([SECRET]),
  };
}

beforeAll(() => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
});

describe("runRequest", () => {
  it("applies the connection, masks its secret in what it returns and stores, and records history and audit", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const spec = requestSpecSchema.parse({ url: `${process.env.HTTPBIN_URL}/headers`, debug: true });
    const view = await runRequest(db, ctx, { spec, connection: { id: crypto.randomUUID(), name: "Echo", provider: headerProvider() } });
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(view.status).toBe(200);
    // httpbin echoes the header back: the browser must still not see the secret.
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view.body)).toContain("X-Api-Key");
    const run = await getRun(db, ctx, view.runId);
    expect(JSON.stringify(run)).not.toContain(SECRET);
    expect(run.connectionName).toBe("Echo");
    expect((await listRecentRuns(db, ctx)).map((r) => r.id)).toContain(view.runId);
    const admin = { ...ctx, role: "admin" as const };
    const { events } = await listAuditEvents(db, admin, { action: "request.run" });
    expect(events[0]?.targetId).toBe(view.runId);
  });

  it("writes the run and its audit row in one statement, no transaction", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const spec = requestSpecSchema.parse({ url: `${process.env.HTTPBIN_URL}/get` });
    // Twice: the first run builds the prepared statement, the second runs it as built.
    for (let i = 0; i < 2; i++) {
      const { db: counted, calls } = countingDb(db);
      let view: Awaited<ReturnType<typeof runRequest>> | undefined;
      const sent = await statementsSentDuring(db, async () => {
        view = await runRequest(counted, ctx, { spec, connection: null });
      });
      expect(sent).toBe(1);
      expect(calls).not.toContain("transaction");
      const runId = view?.runId ?? "";
      expect((await getRun(db, ctx, runId)).ok).toBe(true);
      const { events } = await listAuditEvents(db, { ...ctx, role: "admin" }, { action: "request.run" });
      expect(events.map((e) => e.targetId)).toContain(runId);
    }
  });

  it("records failures in words", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const spec = requestSpecSchema.parse({ url: "http://169.254.169.254/latest" });
    const view = await runRequest(db, ctx, { spec, connection: null });
    expect(view).toMatchObject({ ok: false, kind: "address_guard" });
    const run = await getRun(db, ctx, view.runId);
    expect(run.errorMessage).toMatch(/address guard/);
  });

  it("paginates through the same executor", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const last = `${process.env.HTTPBIN_URL}/response-headers?page=2`;
    const first = `${process.env.HTTPBIN_URL}/response-headers?Link=${encodeURIComponent(`<${last}>; rel="next"`)}`;
    const view = await runRequest(db, ctx, {
      spec: requestSpecSchema.parse({ url: first }),
      connection: null,
      pagination: { mode: "linkHeader", maxPages: 5, output: "pages" },
    });
    expect(view.ok && view.pages).toEqual({ count: 2, stoppedBecause: "no next" });
  });

  it("keeps history and saved requests inside the team", async () => {
    const db = await getDb();
    const teamA = await makeTeamContext("member");
    const teamB = await makeTeamContext("member");
    const view = await runRequest(db, teamA, { spec: requestSpecSchema.parse({ url: `${process.env.HTTPBIN_URL}/get` }), connection: null });
    await expect(getRun(db, teamB, view.runId)).rejects.toThrow("was not found");
    expect((await listRecentRuns(db, teamB)).map((r) => r.id)).not.toContain(view.runId);
    await saveRequest(db, teamA, { name: "Only A", connectionId: null, spec: requestSpecSchema.parse({ url: "https://example.com" }) });
    expect((await listSavedRequests(db, teamB)).map((s) => s.name)).not.toContain("Only A");
  });
});
