import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connections, flows } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { createFlow } from "@/lib/flows/flows";
import { flowDefinitionSchema } from "@/lib/flows/model";
import { step } from "@/lib/flows/testing/helpers";
import { BASE, appToken } from "@/lib/oauth-server/test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { buildOpenApiDocument } from "../openapi";
import { apiRouteHandler } from "../handler";
import { exportTeamRoute, importTeamRoute, previewTeamImportRoute } from "./team-bundle";

const API_KEY = "rest-bundle-api-key-Vb61";
const PASSPHRASE = "rest bundle passphrase 42";

function post(route: Parameters<typeof apiRouteHandler>[0], token: string | null, body: unknown) {
  return apiRouteHandler(route)(
    new Request(`${BASE}${route.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
}

afterEach(() => {
  delete process.env.PLUGBOARD_MAX_UPLOAD_BYTES;
  resetEnvCache();
});

describe("team bundle over the REST API", () => {
  it("exports under a passphrase, previews and imports into another team, all with team:export / team:import", async () => {
    const db = await getDb();
    const source = await makeTeamContext("admin", "REST source");
    const { id } = await createConnection(
      db,
      source,
      connectionInputSchema.parse({
        type: "api_key",
        name: "Ledger",
        apiKey: API_KEY,
        headerKey: "X-Api-Key",
        scheme: "None",
        testUrl: "http://127.0.0.1:9/",
      }),
    );
    await createFlow(
      db,
      source,
      flowDefinitionSchema.parse({ name: "Post ledger", steps: [step("send", { url: "http://127.0.0.1:9/" }, { connection: `connection:${id}` })] }),
    );

    const exported = await post(exportTeamRoute, await appToken(source, ["team:export"], "admin"), { passphrase: PASSPHRASE });
    expect(exported.status).toBe(200);
    const bundle = (await exported.json()) as Record<string, unknown>;
    expect(JSON.stringify(bundle)).not.toContain(API_KEY);

    const target = await makeTeamContext("admin", "REST target");
    const importToken = await appToken(target, ["team:import"], "admin");
    const preview = await post(previewTeamImportRoute, importToken, { bundle, passphrase: PASSPHRASE });
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { items: Array<{ name: string; action: string }> }).items).toEqual([
      expect.objectContaining({ name: "Ledger", action: "create" }),
      expect.objectContaining({ name: "Post ledger", action: "create" }),
      // The export token's own Application is part of the team's setup too (registered without its secrets).
      expect.objectContaining({ kind: "application", action: "create" }),
    ]);

    const wrong = await post(importTeamRoute, importToken, { bundle, passphrase: "a wrong passphrase" });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error_description: expect.stringMatching(/passphrase is wrong/) });
    expect(await db.select().from(connections).where(eq(connections.teamId, target.team.id))).toEqual([]);

    const imported = await post(importTeamRoute, importToken, { bundle, passphrase: PASSPHRASE });
    expect(imported.status).toBe(201);
    expect(await imported.json()).toMatchObject({ created: 3, needCredentials: [] });
    const [flow] = await db.select().from(flows).where(eq(flows.teamId, target.team.id));
    const [ledger] = await db.select().from(connections).where(eq(connections.teamId, target.team.id));
    expect(flow.connectionIds).toEqual([ledger.id]);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, target.team.id), eq(auditEvents.action, "team.imported")));
    expect(audit).toHaveLength(1);
  });

  it("needs the scope and the admin role, and checks the token before reading a body that is then capped", async () => {
    const ctx = await makeTeamContext();
    expect((await post(exportTeamRoute, await appToken(ctx, ["connections:read"], "admin"), {})).status).toBe(403);
    const member = await post(exportTeamRoute, await appToken(ctx, ["team:export"], "member"), {});
    expect(member.status).toBe(403);
    expect(await member.json()).toMatchObject({ error: "forbidden" });

    process.env.PLUGBOARD_MAX_UPLOAD_BYTES = "2048";
    resetEnvCache();
    const big = JSON.stringify({ bundle: { padding: "x".repeat(4096) } });
    expect((await post(importTeamRoute, null, big)).status).toBe(401);
    expect((await post(importTeamRoute, await appToken(ctx, ["team:import"], "admin"), big)).status).toBe(413);

    const notABundle = await post(importTeamRoute, await appToken(ctx, ["team:import"], "admin"), { bundle: { format: "zip" } });
    expect(notABundle.status).toBe(400);
    expect(await notABundle.json()).toMatchObject({ error_description: expect.stringMatching(/not a Plugboard bundle/) });
  });

  it("publishes the bundle's JSON Schema in the OpenAPI document with the new scopes", () => {
    const doc = buildOpenApiDocument();
    expect(doc.components.schemas).toHaveProperty("TeamBundle.properties.connections");
    expect(Object.keys(doc.components.securitySchemes.oauth2.flows.clientCredentials.scopes)).toEqual(
      expect.arrayContaining(["team:export", "team:import"]),
    );
    expect(doc.paths["/api/v1/team/import"].post).toMatchObject({ security: [{ oauth2: ["team:import"] }], "x-required-role": "admin" });
  });
});
