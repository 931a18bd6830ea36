import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { flowRuns } from "@/db/schema";
import { actorColumns } from "@/lib/auth/actor";
import { executeFlowRun, getFlowRun } from "@/lib/flows";
import { makeFlow, step } from "@/lib/flows/testing/helpers";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection, getConnection, saveConnection, verifyConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { requestSpecSchema } from "@/lib/http/spec";
import { httpbinUrl } from "@/lib/http/testing/local-server";
import { runRequest } from "@/lib/requests";
import { resolveRunConnection } from "@/lib/requests/resolve-connection";
import { makeTeamContext } from "@/lib/testing/factories";
import { deleteVariable, listVariables, setVariable } from "@/lib/variables";

/**
 * {{vars.NAME}} in a connection's Test URL and on-premises Host, against httpbin: refused at save when it
 * names no variable, filled in by Verify, the test on save and every request, following the variable when
 * it changes, and a secret one masked in the request's output.
 */

const TOKEN = "conn-vars-bearer-8Jq2";
let bin: URL;

beforeAll(() => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  bin = new URL(httpbinUrl());
});

afterAll(async () => {
  await closeHttpAgents();
});

/** A Bearer API key connection for an on-premises server at `host`:port (httpbin's), testing `testUrl`. */
const onPrem = (fields: { host: string; testUrl: string; name?: string }) =>
  connectionInputSchema.parse({
    type: "api_key",
    name: fields.name ?? "On-prem",
    apiKey: TOKEN,
    headerKey: "Authorization",
    scheme: "Bearer",
    host: fields.host,
    port: bin.port,
    testUrl: fields.testUrl,
  });

describe("{{vars.NAME}} in a connection's Test URL and Host", () => {
  it("is checked on save, filled in by the test on save, Verify and requests, and follows the variable", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    await setVariable(db, ctx, { name: "ONPREM_HOST", value: `http://${bin.hostname}`, secret: false });
    await setVariable(db, ctx, { name: "CHECK_STATUS", value: "200", secret: false });

    const saved = await saveConnection(db, ctx, {
      input: onPrem({ host: "{{vars.ONPREM_HOST}}", testUrl: "/status/{{vars.CHECK_STATUS}}" }),
      check: true,
    });
    expect(saved).toMatchObject({ saved: true, check: { ok: true, message: "Test URL answered HTTP 200." } });
    if (!saved.saved) throw new Error("not saved");
    // Stored as typed: the list shows the expression, and the allowed hosts are those it gives when used.
    const detail = await getConnection(db, ctx, saved.id);
    expect(detail.details).toContainEqual({ label: "Host", value: "{{vars.ONPREM_HOST}}" });
    expect(detail).toMatchObject({ allowedHosts: [], hostsFromVariables: true });

    // A relative request goes to the filled-in Host with the credentials (httpbin /bearer answers 200 only with them).
    const connection = await resolveRunConnection(db, ctx, saved.id);
    const view = await runRequest(db, ctx, { spec: requestSpecSchema.parse({ url: "/bearer" }), connection });
    expect(view).toMatchObject({ ok: true, status: 200, url: `${bin.origin}/bearer` });
    expect(await verifyConnection(db, ctx, saved.id)).toMatchObject({ ok: true });
    // A flow step with the connection too.
    const flow = await makeFlow(db, ctx, { steps: [step("whoami", { url: "/bearer" }, { connection: `connection:${saved.id}` })] });
    const [run] = await db
      .insert(flowRuns)
      .values({ teamId: ctx.team.id, flowId: flow.id, trigger: "manual", input: {}, ...actorColumns(ctx.principal) })
      .returning();
    await executeFlowRun(db, run.id, `conn-vars-${run.id}`);
    expect((await getFlowRun(db, ctx, run.id)).steps).toMatchObject([{ stepName: "whoami", status: "succeeded", responseStatus: 200 }]);

    // Changed, the variable moves the connection's check with it.
    const checkStatus = (await listVariables(db, ctx)).find((v) => v.name === "CHECK_STATUS");
    await setVariable(db, ctx, { id: checkStatus?.id, name: "CHECK_STATUS", value: "401", secret: false });
    expect(await verifyConnection(db, ctx, saved.id)).toMatchObject({ ok: false, message: expect.stringContaining("answered HTTP 401") });

    // A value that is no host, or a variable deleted since: Verify fails in words naming the field, requests are refused.
    const host = (await listVariables(db, ctx)).find((v) => v.name === "ONPREM_HOST");
    await setVariable(db, ctx, { id: host?.id, name: "ONPREM_HOST", value: "ftp://files.internal", secret: false });
    expect(await verifyConnection(db, ctx, saved.id)).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^Connection “On-prem”, Host: \{\{vars\.ONPREM_HOST\}\} gives “ftp:\/\/files\.internal”: ftp:\/\/ is not supported/,
      ),
    });
    await deleteVariable(db, ctx, host?.id as string);
    expect(await verifyConnection(db, ctx, saved.id)).toMatchObject({
      ok: false,
      message: expect.stringContaining("no variable named “ONPREM_HOST”"),
    });
    expect((await getConnection(db, ctx, saved.id)).status).toBe("failed");
    await expect(resolveRunConnection(db, ctx, saved.id)).rejects.toMatchObject({
      fieldErrors: { connectionId: expect.stringContaining("Host: {{vars.ONPREM_HOST}}") },
    });
  });

  it("refuses at save an expression that names no variable, or anything but vars., at its field", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    await setVariable(db, ctx, { name: "BASE", value: bin.origin, secret: false });
    await expect(saveConnection(db, ctx, { input: onPrem({ host: "{{vars.NOPE}}", testUrl: "" }), check: true })).rejects.toMatchObject({
      fieldErrors: { host: expect.stringContaining("Host: {{vars.NOPE}}: the team has no variable named “NOPE”") },
    });
    // Also below the form (REST API, import): the service itself checks.
    await expect(createConnection(db, ctx, onPrem({ host: "", testUrl: "{{vars.BASE}}/get?id={{vars.MISSING}}" }))).rejects.toMatchObject({
      fieldErrors: { testUrl: expect.stringContaining("Test URL: {{vars.MISSING}}: the team has no variable named “MISSING”") },
    });
    // The form's schema checks the expression's form (only vars. outside a flow), and still the Host's own rules without one.
    const parse = (host: string, testUrl = "") => connectionInputSchema.safeParse({ ...onPrem({ host: "", testUrl: "" }), host, testUrl });
    expect(parse("", "{{vars.BASE}}/get?id={{input.id}}").error?.issues[0]).toMatchObject({
      path: ["testUrl"],
      message: expect.stringContaining("has no input"),
    });
    expect(parse("{{vars.}}").success).toBe(false);
    expect(parse("{{vars.A").success).toBe(false);
    expect(parse("jira.internal:8080").success).toBe(false);
    expect(parse("{{vars.ANY}}", "{{vars.BASE}}/me").success).toBe(true);
    expect(parse("", "{{vars.BASE}}/me").success).toBe(true);
    // Without a Host, a Test URL from a variable counts as absolute (its value says): saved, then checked.
    const saved = await saveConnection(db, ctx, { input: onPrem({ host: "", testUrl: "{{vars.BASE}}/bearer", name: "Base" }), check: true });
    expect(saved).toMatchObject({ saved: true, check: { ok: true } });
  });

  it("masks a secret variable used as the Host in the request's output", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("admin");
    const secretHost = `http://${bin.hostname}`;
    await setVariable(db, ctx, { name: "PRIVATE_HOST", value: secretHost, secret: true });
    const { id } = await createConnection(db, ctx, onPrem({ host: "{{vars.PRIVATE_HOST}}", testUrl: "/bearer" }));
    const connection = await resolveRunConnection(db, ctx, id);
    const view = await runRequest(db, ctx, { spec: requestSpecSchema.parse({ url: "/anything/x", debug: true }), connection });
    expect(view).toMatchObject({ ok: true, status: 200 });
    expect(JSON.stringify(view)).toContain("••••••");
    expect(JSON.stringify(view)).not.toContain(secretHost);
    expect(await verifyConnection(db, ctx, id)).toMatchObject({ ok: true });
  });
});
