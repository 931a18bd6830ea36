import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db";
import { migrationsFolder } from "@/db/migrate";
import { emptyDatabase, MIGRATION_TEST_TIMEOUT_MS } from "@/db/testing/migrate-from";
import { auditEvents, connections, flowRuns, flowStepRuns, flows, memberships, oauthClients, savedRequests, teams, users } from "@/db/schema";
import { actorColumns } from "@/lib/auth/actor";
import { userActor, type TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection, replaceConnection, verifyConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { createFlow } from "@/lib/flows/flows";
import { flowDefinitionSchema } from "@/lib/flows/model";
import { executeFlowRun } from "@/lib/flows/runner";
import { step } from "@/lib/flows/testing/helpers";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { requestSpecSchema } from "@/lib/http/spec";
import { httpbinUrl } from "@/lib/http/testing/local-server";
import { createApplication } from "@/lib/oauth-server/clients";
import { saveRequest } from "@/lib/requests/history";
import { makeTeamContext } from "@/lib/testing/factories";
import { listVariables, loadTeamVariables, setVariable } from "@/lib/variables";
import { listNeedsAttention } from "@/lib/health/needs-attention";
import { exportTeamBundle } from "./export-bundle";
import { importTeamBundle, previewImport } from "./import-bundle";
import { bundleJsonSchema, importChoicesSchema, type Bundle } from "./schema";
import { parseBundle, parseBundleText } from "./upgrade";

/**
 * Moving a team between two instances: the source is the suite's database, the destination a second,
 * freshly migrated one (a PGlite or a Postgres database of its own), sharing nothing but the encryption
 * key's configuration. Connections verify against httpbin on both sides and a flow runs with the same result.
 */

const PASSPHRASE = "correct horse battery staple";
const BASIC = { user: "ada", password: "bundle-basic-pw-Q81x" };
const BEARER = "bundle-bearer-token-7Hk2";
const VAR_SECRET = "bundle-variable-secret-3Wd8";
const FIXTURE = path.join(import.meta.dirname, "fixtures", "bundle-v1.json");
const FIXTURE_PASSPHRASE = "plugboard fixture passphrase v1";

let bin: string;
let dest: Database;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  bin = httpbinUrl();
  const second = await emptyDatabase();
  await second.migrate(migrationsFolder);
  dest = second.db;
}, MIGRATION_TEST_TIMEOUT_MS);

afterAll(async () => {
  await closeHttpAgents();
});

/** A team and its admin in a database other than the suite's (the factories write to the suite's). */
async function teamIn(db: Database, name = "Destination"): Promise<TeamContext> {
  const [user] = await db
    .insert(users)
    .values({ name: "Importer", email: `${randomUUID()}@example.test`, passwordHash: "x" })
    .returning();
  const [team] = await db.insert(teams).values({ name, createdBy: user.id }).returning();
  await db.insert(memberships).values({ teamId: team.id, userId: user.id, role: "admin" });
  return { actor: user, principal: userActor(user), team: { id: team.id, name: team.name }, role: "admin", ip: "127.0.0.1" };
}

/** The CRM connection's form input, secret included: created in the source, typed again into a stub. */
const crmInput = () =>
  connectionInputSchema.parse({
    type: "api_key",
    name: "CRM",
    apiKey: BEARER,
    headerKey: "Authorization",
    scheme: "Bearer",
    testUrl: `${bin}/bearer`,
  });

/** The source team: two connections, a saved request, a scheduled flow (slot + fixed step) and an Application. */
async function sourceTeam() {
  const db = await getDb();
  const ctx = await makeTeamContext("admin", "Source");
  const basic = await createConnection(
    db,
    ctx,
    connectionInputSchema.parse({
      type: "basic",
      name: "Billing",
      username: BASIC.user,
      password: BASIC.password,
      testUrl: `${bin}/basic-auth/${BASIC.user}/${BASIC.password}`,
    }),
  );
  const bearer = await createConnection(db, ctx, crmInput());
  // Variables the flow's third step names: moved with the team, the secret one sealed like the connections' secrets.
  await setVariable(db, ctx, { name: "ECHO_PATH", value: "anything/bundle", secret: false });
  await setVariable(db, ctx, { name: "SHARED_TOKEN", value: VAR_SECRET, secret: true });
  await saveRequest(db, ctx, { name: "Who am I", connectionId: bearer.id, spec: requestSpecSchema.parse({ method: "GET", url: `${bin}/bearer` }) });
  const flow = await createFlow(
    db,
    ctx,
    flowDefinitionSchema.parse({
      name: "Nightly sync",
      slots: [{ name: "Account", defaultConnectionId: basic.id }],
      steps: [
        step("login", { url: `${bin}/basic-auth/${BASIC.user}/${BASIC.password}` }, { connection: "slot:Account" }),
        step("token", { url: `${bin}/bearer` }, { connection: `connection:${bearer.id}` }),
        step("echo", { url: `${bin}/{{vars.ECHO_PATH}}`, headers: [{ key: "X-Shared-Token", value: "{{vars.SHARED_TOKEN}}", enabled: true }] }),
      ],
      scheduleEnabled: true,
      scheduleCron: "0 3 * * *",
      scheduleTimezone: "Europe/Paris",
    }),
  );
  await createApplication(db, ctx, {
    name: "Reporting",
    grantType: "client_credentials",
    redirectUris: "",
    authMethod: "client_secret_basic",
    jwks: "",
    jwksUri: "",
    scopes: ["flows:read"],
    role: "member",
    accessTokenFormat: "opaque",
  });
  return { db, ctx, basicId: basic.id, bearerId: bearer.id, flowId: flow.id };
}

/** Runs the flow once, in-process, and returns what each step did. */
async function runFlow(db: Database, ctx: TeamContext, flowId: string) {
  const [run] = await db
    .insert(flowRuns)
    .values({ teamId: ctx.team.id, flowId, trigger: "manual", input: {}, ...actorColumns(ctx.principal) })
    .returning();
  await executeFlowRun(db, run.id, `test-${run.id}`);
  const [done] = await db.select().from(flowRuns).where(eq(flowRuns.id, run.id));
  const stepRows = await db.select().from(flowStepRuns).where(eq(flowStepRuns.runId, run.id)).orderBy(flowStepRuns.position);
  return {
    status: done.status,
    steps: stepRows.map((s) => ({ name: s.stepName, status: s.status, responseStatus: s.responseStatus, output: s.output })),
  };
}

/** Through JSON text, as a downloaded file would travel. */
const viaFile = (bundle: Bundle) => parseBundleText(JSON.stringify(bundle));
const defaults = importChoicesSchema.parse({});

async function teamRows(db: Database, teamId: string) {
  const c = await db.select().from(connections).where(eq(connections.teamId, teamId));
  const r = await db.select().from(savedRequests).where(eq(savedRequests.teamId, teamId));
  const f = await db.select().from(flows).where(eq(flows.teamId, teamId));
  const a = await db.select().from(oauthClients).where(eq(oauthClients.teamId, teamId));
  return { connections: c, savedRequests: r, flows: f, applications: a };
}

describe("team bundle between two databases", () => {
  it("with secrets: every connection verifies on the new instance and the flow runs with the same result", async () => {
    const source = await sourceTeam();
    const bundle = viaFile(await exportTeamBundle(source.db, source.ctx, { passphrase: PASSPHRASE }));
    expect(bundle.secrets.mode).toBe("passphrase");
    const text = JSON.stringify(bundle);
    // (The basic password is in httpbin's Test URL path, a non-secret setting, so only the bearer token is looked for.)
    expect(text).not.toContain(BEARER);
    expect(text).not.toContain(PASSPHRASE);

    const ctx = await teamIn(dest);
    const preview = await previewImport(dest, ctx, bundle, defaults, PASSPHRASE);
    expect(preview.items.map((i) => [i.kind, i.name, i.action])).toEqual([
      ["variable", "ECHO_PATH", "create"],
      ["variable", "SHARED_TOKEN", "create"],
      ["connection", "Billing", "create"],
      ["connection", "CRM", "create"],
      ["savedRequest", "Who am I", "create"],
      ["flow", "Nightly sync", "create"],
      ["application", "Reporting", "create"],
    ]);
    expect(preview.flowConnections[source.flowId].map((r) => [r.key, r.target?.name])).toEqual([
      ["slot:Account", "Billing"],
      ["step:token", "CRM"],
    ]);

    const result = await importTeamBundle(dest, ctx, bundle, defaults, PASSPHRASE);
    expect(result).toMatchObject({ created: 7, replaced: 0, skipped: 0, needCredentials: [], needValues: [] });
    expect(await loadTeamVariables(dest, ctx.team.id)).toEqual(await loadTeamVariables(source.db, source.ctx.team.id));
    const rows = await teamRows(dest, ctx.team.id);
    const ids = new Map(rows.connections.map((c) => [c.name, c.id]));
    // New ids, and the references inside the saved request and the flow follow them.
    expect(ids.get("Billing")).not.toBe(source.basicId);
    expect(rows.savedRequests[0].connectionId).toBe(ids.get("CRM"));
    const [flow] = rows.flows;
    expect(flow.id).not.toBe(source.flowId);
    expect(flow.slots).toEqual([{ name: "Account", defaultConnectionId: ids.get("Billing") }]);
    expect((flow.steps as Array<{ connection: string }>)[1].connection).toBe(`connection:${ids.get("CRM")}`);
    expect(new Set(flow.connectionIds)).toEqual(new Set([ids.get("Billing"), ids.get("CRM")]));
    // The schedule comes along; the flow waits inactive until someone turns it on.
    expect(flow).toMatchObject({ active: false, scheduleCron: "0 3 * * *", scheduleTimezone: "Europe/Paris", nextRunAt: null });
    expect(rows.applications).toMatchObject([{ name: "Reporting", grantType: "client_credentials", scopes: ["flows:read"] }]);

    for (const id of ids.values()) expect(await verifyConnection(dest, ctx, id)).toMatchObject({ ok: true });
    const before = await runFlow(source.db, source.ctx, source.flowId);
    const after = await runFlow(dest, ctx, flow.id);
    expect(before.status).toBe("succeeded");
    expect(after).toEqual(before);

    // Audited on both sides with counts, never a secret.
    const [exported] = await source.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, source.ctx.team.id), eq(auditEvents.action, "team.exported")));
    expect(exported.metadata).toEqual({ withSecrets: true, connections: 2, savedRequests: 1, flows: 1, applications: 1, variables: 2 });
    const [imported] = await dest
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "team.imported")));
    expect(imported.metadata).toMatchObject({ withSecrets: true, connections: 2, created: 7, needCredentials: 0 });
    expect(JSON.stringify([exported, imported])).not.toMatch(new RegExp(`${BEARER}|${BASIC.password}|${PASSPHRASE}|${VAR_SECRET}`));
  });

  it("without secrets: the connections are stubs that need credentials, and work once they are entered", async () => {
    const source = await sourceTeam();
    const bundle = viaFile(await exportTeamBundle(source.db, source.ctx));
    expect(bundle.connections.every((c) => c.secrets === undefined)).toBe(true);
    expect(bundle.variables).toEqual([
      { id: expect.any(String), name: "ECHO_PATH", isSecret: false, value: "anything/bundle" },
      { id: expect.any(String), name: "SHARED_TOKEN", isSecret: true },
    ]);
    expect(JSON.stringify(bundle)).not.toContain(VAR_SECRET);
    expect(bundle.connections.find((c) => c.name === "Billing")?.config).toMatchObject({
      username: BASIC.user,
      testUrl: expect.stringContaining("/basic-auth/"),
    });
    expect(JSON.stringify(bundle)).not.toContain(BEARER);

    const ctx = await teamIn(dest);
    const result = await importTeamBundle(dest, ctx, bundle, defaults);
    expect(result.needCredentials.map((c) => c.name).sort()).toEqual(["Billing", "CRM"]);
    // The secret variable exists (the flow naming it was saved) but has no value until an admin types it.
    expect(result.needValues).toEqual(["SHARED_TOKEN"]);
    expect((await listVariables(dest, ctx)).map((v) => [v.name, v.valueSet])).toEqual([
      ["ECHO_PATH", true],
      ["SHARED_TOKEN", false],
    ]);
    expect((await loadTeamVariables(dest, ctx.team.id)).values).toEqual({ ECHO_PATH: "anything/bundle" });
    const rows = await teamRows(dest, ctx.team.id);
    expect(rows.connections.map((c) => c.status)).toEqual(["needs_credentials", "needs_credentials"]);
    const crm = rows.connections.find((c) => c.name === "CRM");
    if (!crm) throw new Error("CRM was not imported");
    await expect(verifyConnection(dest, ctx, crm.id)).rejects.toThrow(/imported without its credentials/);

    // Needs attention lists both with what to do (enter the credentials), most urgent first.
    const attention = await listNeedsAttention(dest, ctx);
    expect(attention.items.map((i) => [i.connection.name, i.problems.map((p) => [p.reason, p.action])])).toEqual([
      ["Billing", [["needs_credentials", "credentials"]]],
      ["CRM", [["needs_credentials", "credentials"]]],
    ]);

    // Typing the secret again (the connection form's save) makes it a working connection.
    await replaceConnection(dest, ctx, crm.id, crmInput());
    expect(await verifyConnection(dest, ctx, crm.id)).toMatchObject({ ok: true });
    expect((await listNeedsAttention(dest, ctx)).items.map((i) => i.connection.name)).toEqual(["Billing"]);
  });

  it("carries a connection whose Test URL names a variable, and refuses one (or a saved request) whose variable is not in the team or the bundle", async () => {
    const db = await getDb();
    const source = await makeTeamContext("admin", "Source");
    await setVariable(db, source, { name: "API_BASE", value: bin, secret: false });
    await createConnection(db, source, connectionInputSchema.parse({ ...crmInput(), name: "Per environment", testUrl: "{{vars.API_BASE}}/bearer" }));
    await saveRequest(db, source, { name: "Echo", connectionId: null, spec: requestSpecSchema.parse({ url: "{{vars.API_BASE}}/get" }) });
    const bundle = viaFile(await exportTeamBundle(db, source, { passphrase: PASSPHRASE }));
    expect(bundle.connections[0].config).toMatchObject({ testUrl: "{{vars.API_BASE}}/bearer" });

    const lacking = { ...structuredClone(bundle), variables: [] };
    const ctx = await teamIn(dest);
    await expect(importTeamBundle(dest, ctx, lacking, defaults, PASSPHRASE)).rejects.toThrow(
      /connection “Per environment” is not valid at testUrl: Test URL: \{\{vars\.API_BASE\}\}: the team has no variable named “API_BASE”/,
    );
    // A saved request is checked as its save would be.
    await expect(importTeamBundle(dest, ctx, { ...lacking, connections: [] }, defaults, PASSPHRASE)).rejects.toThrow(
      /saved request “Echo” is not valid at spec\.url: \{\{vars\.API_BASE\}\}: the team has no variable named “API_BASE”/,
    );
    expect((await teamRows(dest, ctx.team.id)).connections).toEqual([]);
    await importTeamBundle(dest, ctx, bundle, defaults, PASSPHRASE);
    const [imported] = (await teamRows(dest, ctx.team.id)).connections;
    expect(imported.config).toMatchObject({ testUrl: "{{vars.API_BASE}}/bearer" });
    expect(await verifyConnection(dest, ctx, imported.id)).toMatchObject({ ok: true });
  });

  it("refuses a wrong passphrase and a changed byte in a secret, importing nothing", async () => {
    const source = await sourceTeam();
    const bundle = viaFile(await exportTeamBundle(source.db, source.ctx, { passphrase: PASSPHRASE }));
    const ctx = await teamIn(dest);
    await expect(importTeamBundle(dest, ctx, bundle, defaults, "not the right passphrase")).rejects.toThrow(/passphrase is wrong/);
    await expect(previewImport(dest, ctx, bundle, defaults, "not the right passphrase")).rejects.toThrow(/passphrase is wrong/);
    await expect(importTeamBundle(dest, ctx, bundle, defaults)).rejects.toThrow(/enter the passphrase/);

    const tampered = structuredClone(bundle);
    const sealed = tampered.connections[1].secrets;
    if (!sealed) throw new Error("no sealed secrets");
    const bytes = Buffer.from(sealed.data, "base64");
    bytes[0] ^= 0x01;
    sealed.data = bytes.toString("base64");
    await expect(importTeamBundle(dest, ctx, viaFile(tampered), defaults, PASSPHRASE)).rejects.toThrow(/changed after export.*“CRM”/);
    const tamperedVariable = structuredClone(bundle);
    const sealedValue = tamperedVariable.variables?.find((v) => v.name === "SHARED_TOKEN")?.secret;
    if (!sealedValue) throw new Error("no sealed variable");
    const valueBytes = Buffer.from(sealedValue.data, "base64");
    valueBytes[0] ^= 0x01;
    sealedValue.data = valueBytes.toString("base64");
    await expect(importTeamBundle(dest, ctx, viaFile(tamperedVariable), defaults, PASSPHRASE)).rejects.toThrow(
      /changed after export.*variable “SHARED_TOKEN”/,
    );

    // A changed header (the export time is in every value's associated data) fails the passphrase check.
    const moved = { ...structuredClone(bundle), exportedAt: new Date(0).toISOString() };
    await expect(importTeamBundle(dest, ctx, viaFile(moved), defaults, PASSPHRASE)).rejects.toThrow(
      /passphrase is wrong, or the bundle's header was changed/,
    );

    const rows = await teamRows(dest, ctx.team.id);
    expect(rows).toEqual({ connections: [], savedRequests: [], flows: [], applications: [] });
    expect(await listVariables(dest, ctx)).toEqual([]);
    const audits = await dest.select().from(auditEvents).where(eq(auditEvents.teamId, ctx.team.id));
    expect(audits).toEqual([]);
  });

  it("passes each connection through its type's form schema: a refused setting stops the import, a missing one gets its default", async () => {
    const source = await sourceTeam();
    const bundle = viaFile(await exportTeamBundle(source.db, source.ctx, { passphrase: PASSPHRASE }));
    const ctx = await teamIn(dest);
    const broken = structuredClone(bundle);
    broken.connections[0].config.testUrl = "not a url";
    await expect(importTeamBundle(dest, ctx, broken, defaults, PASSPHRASE)).rejects.toThrow(/connection “Billing” is not valid at testUrl/);
    expect((await teamRows(dest, ctx.team.id)).connections).toEqual([]);

    // As a bundle written before the health settings existed would be.
    const older = structuredClone(bundle);
    delete older.connections[1].config.checkSchedule;
    // Chosen at import, the flows come active (with their schedule's next run), as they were exported.
    await importTeamBundle(dest, ctx, older, importChoicesSchema.parse({ activateFlows: true }), PASSPHRASE);
    expect((await teamRows(dest, ctx.team.id)).flows).toMatchObject([{ active: true, scheduleCron: "0 3 * * *", nextRunAt: expect.any(Date) }]);
    const crm = (await teamRows(dest, ctx.team.id)).connections.find((c) => c.name === "CRM");
    expect(crm?.config).toMatchObject({ checkSchedule: "default" });
    expect(crm?.config).not.toHaveProperty("apiKey");
    expect(JSON.stringify(crm?.config)).not.toContain(BEARER);
  });

  it("previews names already taken and applies skip, rename and replace, with a slot mapped to a chosen connection", async () => {
    const source = await sourceTeam();
    const bundle = viaFile(await exportTeamBundle(source.db, source.ctx, { passphrase: PASSPHRASE }));
    const ctx = await teamIn(dest);
    await importTeamBundle(dest, ctx, bundle, defaults, PASSPHRASE);
    const first = await teamRows(dest, ctx.team.id);
    const billing = first.connections.find((c) => c.name === "Billing");
    if (!billing) throw new Error("Billing was not imported");

    const byName = new Map(bundle.connections.map((c) => [c.name, c.id]));
    const variableId = (name: string) => bundle.variables?.find((v) => v.name === name)?.id as string;
    // A variable the team has is kept (the default) or replaced, never renamed: the flows name it.
    await expect(previewImport(dest, ctx, bundle, importChoicesSchema.parse({ conflicts: { [variableId("ECHO_PATH")]: "rename" } }))).rejects.toThrow(
      /cannot be renamed/,
    );
    const choices = importChoicesSchema.parse({
      conflicts: {
        [byName.get("Billing") as string]: "skip",
        [byName.get("CRM") as string]: "replace",
        [source.flowId]: "rename",
        [variableId("SHARED_TOKEN")]: "replace",
      },
      names: { [source.flowId]: "Nightly sync (staging)" },
    });
    const preview = await previewImport(dest, ctx, bundle, choices);
    expect(preview.items.map((i) => [i.name, i.action, i.targetName, i.existing !== null])).toEqual([
      ["ECHO_PATH", "skip", "ECHO_PATH", true],
      ["SHARED_TOKEN", "replace", "SHARED_TOKEN", true],
      ["Billing", "skip", "Billing", true],
      ["CRM", "replace", "CRM", true],
      ["Who am I", "rename", "Who am I (imported)", true],
      ["Nightly sync", "rename", "Nightly sync (staging)", true],
      ["Reporting", "rename", "Reporting (imported)", true],
    ]);
    // The skipped connection's slot goes to the existing one of the same name.
    expect(preview.flowConnections[source.flowId][0]).toMatchObject({ key: "slot:Account", target: { id: billing.id, name: "Billing" } });

    // An edited mapping: the fixed step uses Billing instead of CRM.
    const mapped = importChoicesSchema.parse({ ...choices, connectionMap: { [source.flowId]: { "step:token": billing.id } } });
    const result = await importTeamBundle(dest, ctx, bundle, mapped, PASSPHRASE);
    expect(result).toMatchObject({ created: 3, replaced: 2, skipped: 2 });
    expect((await listVariables(dest, ctx)).map((v) => v.name)).toEqual(["ECHO_PATH", "SHARED_TOKEN"]);
    const second = await teamRows(dest, ctx.team.id);
    expect(second.connections.map((c) => c.id).sort()).toEqual(first.connections.map((c) => c.id).sort());
    const staging = second.flows.find((f) => f.name === "Nightly sync (staging)");
    expect((staging?.steps as Array<{ connection: string }> | undefined)?.[1]?.connection).toBe(`connection:${billing.id}`);
    await expect(
      previewImport(dest, ctx, bundle, importChoicesSchema.parse({ connectionMap: { [source.flowId]: { "step:token": randomUUID() } } })),
    ).rejects.toThrow(/not one of the team's/);
  });

  it("imports the version 1 fixture, and refuses a bundle from a newer Plugboard", async () => {
    if (process.env.UPDATE_BUNDLE_FIXTURE) {
      const source = await sourceTeam();
      writeFileSync(FIXTURE, `${JSON.stringify(await exportTeamBundle(source.db, source.ctx, { passphrase: FIXTURE_PASSPHRASE }), null, 2)}\n`);
    }
    const raw = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, unknown>;
    expect(raw.version).toBe(1);
    const ctx = await teamIn(dest);
    const result = await importTeamBundle(dest, ctx, parseBundle(raw), defaults, FIXTURE_PASSPHRASE);
    expect(result).toMatchObject({ created: 5, needCredentials: [] });
    const rows = await teamRows(dest, ctx.team.id);
    expect(rows.connections.map((c) => [c.name, c.type, c.status])).toEqual(
      expect.arrayContaining([
        ["Billing", "basic", "never_verified"],
        ["CRM", "api_key", "never_verified"],
      ]),
    );
    expect(() => parseBundle({ ...raw, version: 2 })).toThrow(/newer Plugboard/);
    expect(() => parseBundle({ ...raw, format: "something-else" })).toThrow(/not a Plugboard bundle/);
  });

  it("publishes a JSON Schema that describes the bundle's members", () => {
    const schema = bundleJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["format", "version", "secrets", "connections", "savedRequests", "flows", "applications", "variables"]),
    );
    expect(schema.required).not.toContain("variables");
  });
});
