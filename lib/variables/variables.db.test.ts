import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, teamVariables } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { DecryptionError } from "@/lib/crypto";
import { executeFlowRun, getFlowRun, startFlowRun } from "@/lib/flows";
import { isolateQueue, makeFlow, step } from "@/lib/flows/testing/helpers";
import { requestSpecSchema } from "@/lib/http/spec";
import { stopQueue } from "@/lib/jobs";
import { getRun, runRequest, saveRequest } from "@/lib/requests";
import { curlWithCredentials } from "@/lib/requests/curl-with-credentials";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { deleteVariable, listVariables, loadTeamVariables, setVariable, teamVariableNames } from "./index";
import { VARIABLE_LIMITS } from "./schemas";

const SECRET = "var-secret-Zq9/+ é&x";

let bin: string;
beforeAll(() => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  isolateQueue("variables");
  bin = process.env.HTTPBIN_URL as string;
});

afterAll(async () => {
  await stopQueue();
});

describe("team variables: storage", () => {
  it("keeps a secret value encrypted, bound to its row, and never lists it", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const saved = await setVariable(db, ctx, { name: "apiToken", value: SECRET, secret: true });
    await setVariable(db, ctx, { name: "baseUrl", value: bin, secret: false });
    expect(saved).toMatchObject({ name: "apiToken", secret: true, value: null });
    const [row] = await db.select().from(teamVariables).where(eq(teamVariables.id, saved.id));
    expect(row.value).toBeNull();
    expect(row.secretValue).toBeTruthy();
    expect(row.secretValue).not.toContain(SECRET);
    expect(row.keyId).toBeTruthy();
    expect(JSON.stringify(await listVariables(db, ctx))).not.toContain(SECRET);
    expect((await listVariables(db, ctx)).map((v) => [v.name, v.value])).toEqual([
      ["apiToken", null],
      ["baseUrl", bin],
    ]);
    expect(await loadTeamVariables(db, ctx.team.id)).toEqual({ values: { apiToken: SECRET, baseUrl: bin }, secrets: [SECRET] });

    // The envelope is bound to the row: copied into another variable's row it does not open.
    const other = await setVariable(db, ctx, { name: "other", value: "placeholder-value", secret: true });
    await db.update(teamVariables).set({ secretValue: row.secretValue }).where(eq(teamVariables.id, other.id));
    await expect(loadTeamVariables(db, ctx.team.id)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("keeps a secret value edited with a blank value, renames, and audits names only", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const created = await setVariable(db, ctx, { name: "token", value: SECRET, secret: true });
    await setVariable(db, ctx, { id: created.id, name: "token2", value: "", secret: true });
    expect((await loadTeamVariables(db, ctx.team.id)).values).toEqual({ token2: SECRET });
    await expect(setVariable(db, ctx, { id: created.id, name: "token2", value: "", secret: false })).rejects.toMatchObject({
      fieldErrors: { value: expect.stringContaining("typed again") },
    });
    await deleteVariable(db, ctx, created.id);
    expect(await listVariables(db, ctx)).toEqual([]);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.teamId, ctx.team.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["variable.created", "variable.deleted", "variable.updated"]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit.find((a) => a.action === "variable.updated")?.metadata).toMatchObject({ name: "token2", previousName: "token" });
  });

  it("refuses a taken name (any case), a blank new secret, a short secret, members, and more than the bound", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    await setVariable(db, ctx, { name: "region", value: "eu", secret: false });
    await expect(setVariable(db, ctx, { name: "REGION", value: "us", secret: false })).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { name: expect.any(String) },
    });
    await expect(setVariable(db, ctx, { name: "key", value: "", secret: true })).rejects.toMatchObject({
      fieldErrors: { value: "Enter the secret value." },
    });
    await expect(setVariable(db, ctx, { name: "key", value: "abc", secret: true })).rejects.toMatchObject({
      fieldErrors: { value: expect.stringMatching(/at least 4/) },
    });
    const member = await addMember(ctx, "member");
    await expect(setVariable(db, member, { name: "x", value: "1", secret: false })).rejects.toMatchObject({ code: "forbidden" });
    expect((await listVariables(db, member)).map((v) => v.name)).toEqual(["region"]);
    await db
      .insert(teamVariables)
      .values(Array.from({ length: VARIABLE_LIMITS.perTeam - 1 }, (_, i) => ({ teamId: ctx.team.id, name: `v${i}`, value: "" })));
    await expect(setVariable(db, ctx, { name: "oneTooMany", value: "", secret: false })).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("team variables: {{vars.NAME}} in requests and flows", () => {
  it("fills a request's fields and masks the secret one in the response, history and cURL", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    await setVariable(db, ctx, { name: "base", value: bin, secret: false });
    await setVariable(db, ctx, { name: "token", value: SECRET, secret: true });
    const spec = requestSpecSchema.parse({
      method: "POST",
      url: "{{vars.base}}/anything/{{ vars.token }}",
      headers: [{ key: "X-Token", value: "Bearer {{vars.token}}" }],
      query: [{ key: "t", value: "{{vars.token}}" }],
      body: { type: "raw", contentType: "json", text: '{"token": "{{vars.token}}", "n": 1}' },
      debug: true,
    });
    const view = await runRequest(db, ctx, { spec, connection: null });
    expect(view.ok).toBe(true);
    if (!view.ok || view.body.type !== "json") throw new Error("expected a JSON answer");
    // httpbin echoes everything it got (URL, header, query, JSON body): the secret went out, and shows masked.
    const echoed = view.body.value as { json: unknown; headers: Record<string, string>; url: string };
    expect(echoed.json).toEqual({ token: "••••••", n: 1 });
    expect(echoed.headers["X-Token"]).toBe("Bearer ••••••");
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain(encodeURIComponent(SECRET));
    const run = await getRun(db, ctx, view.runId);
    expect(run.url.startsWith(`${bin}/anything/`)).toBe(true);
    expect(JSON.stringify(run)).not.toContain(SECRET);
    expect(JSON.stringify(run)).not.toContain(encodeURIComponent(SECRET));
    const curl = await curlWithCredentials(db, ctx, { connectionId: null, spec });
    expect(curl).toContain(`${bin}/anything/`);
    expect(curl).not.toContain(SECRET);
    expect(curl).not.toContain(encodeURIComponent(SECRET));
  });

  it("refuses an unknown variable or a flow-only expression as a field error, and nothing is sent", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const unknown = requestSpecSchema.parse({ url: `${bin}/get`, headers: [{ key: "X", value: "{{vars.missing}}" }] });
    await expect(runRequest(db, ctx, { spec: unknown, connection: null })).rejects.toMatchObject({
      fieldErrors: { "spec.headers.0.value": expect.stringContaining("no variable named “missing”") },
    });
    const flowOnly = requestSpecSchema.parse({ url: `${bin}/get?id={{input.id}}` });
    await expect(runRequest(db, ctx, { spec: flowOnly, connection: null })).rejects.toMatchObject({
      fieldErrors: { "spec.url": expect.stringContaining("has no input") },
    });
    // Saved, it is a template an MCP tool call fills: {{input.NAME}} is kept; a step reference is not.
    await expect(saveRequest(db, ctx, { name: "Tool template", connectionId: null, spec: flowOnly })).resolves.toBeTruthy();
    const stepOnly = requestSpecSchema.parse({ url: `${bin}/get?id={{steps.a.body}}` });
    await expect(saveRequest(db, ctx, { name: "Bad step", connectionId: null, spec: stepOnly })).rejects.toMatchObject({
      fieldErrors: { "spec.url": expect.stringContaining("only use the team's variables") },
    });
    await expect(saveRequest(db, ctx, { name: "Bad", connectionId: null, spec: unknown })).rejects.toMatchObject({
      fieldErrors: { "spec.headers.0.value": expect.any(String) },
    });
  });

  it("fills a flow step and masks the secret variable in the step's record; an unknown one is refused at save", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    await setVariable(db, ctx, { name: "token", value: SECRET, secret: true });
    await expect(makeFlow(db, ctx, { steps: [step("echo", { url: `${bin}/anything?t={{vars.nope}}` })] })).rejects.toMatchObject({
      fieldErrors: { "steps.0.spec.url": expect.stringContaining("no variable named “nope”") },
    });
    const { id: flowId } = await makeFlow(db, ctx, {
      steps: [
        step("echo", { url: `${bin}/anything`, headers: [{ key: "X-Token", value: "{{vars.token}}", enabled: true }] }),
        step("again", { url: `${bin}/anything/{{steps.echo.body.headers["X-Token"]}}` }),
      ],
    });
    const started = await startFlowRun(db, ctx, { flowId, input: {}, trigger: "manual" });
    await executeFlowRun(db, started!.runId, "variables-test-job");
    const run = await getFlowRun(db, ctx, started!.runId);
    expect(run.run.status).toBe("succeeded");
    // The first step's echo held the secret (step two could map it): every stored record shows it masked.
    expect(JSON.stringify(run.steps[0].output)).toContain("••••••");
    expect(JSON.stringify(run)).not.toContain(SECRET);
    expect(JSON.stringify(run)).not.toContain(encodeURIComponent(SECRET));
    expect(await teamVariableNames(db, ctx.team.id)).toEqual(new Set(["token"]));
  });
});
