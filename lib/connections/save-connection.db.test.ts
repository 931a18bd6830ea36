import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connections } from "@/db/schema";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { makeTeamContext } from "@/lib/testing/factories";
import { getConnection, listConnections, listTokenEvents, saveConnection, verifyConnection } from "./index";
import { connectionInputSchema, type ConnectionFormValues } from "./schemas";

let oauth: OAuthTestServer;
let bin: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  bin = process.env.HTTPBIN_URL as string;
  oauth = await startOAuthTestServer({ autoApprove: true, redirectUris: ["http://localhost/oauth/callback"] });
});
afterAll(async () => {
  await oauth?.stop();
  await closeHttpAgents();
});

const input = (values: ConnectionFormValues) => connectionInputSchema.parse(values);
const WRONG_SECRET = "wrong-client-SECRET-4e1b7a";

function clientCredentials(name: string, clientSecret: string) {
  const c = oauth.clients.clientCredentialsBasic;
  return input({
    type: "oauth2_client_credentials",
    name,
    tokenUrl: oauth.tokenUrl,
    scopes: "read:things",
    clientId: c.clientId,
    clientSecret,
    clientAuth: c.clientAuth,
  });
}

describe("test on save", () => {
  it("does not save a client-credentials connection whose secret the token endpoint refuses, and says why without the secret", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const result = await saveConnection(db, ctx, { input: clientCredentials("CC wrong", WRONG_SECRET), check: true });
    expect(result.saved).toBe(false);
    expect(result.check).toMatchObject({ ok: false, message: expect.stringMatching(/^Getting an access token failed: .*invalid_client/) });
    expect(JSON.stringify(result)).not.toContain(WRONG_SECRET);
    expect(await listConnections(db, ctx)).toEqual([]);
  });

  it("saves it with the right secret, as Verified with the check's words", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const result = await saveConnection(db, ctx, {
      input: clientCredentials("CC right", oauth.clients.clientCredentialsBasic.clientSecret),
      check: true,
    });
    if (!result.saved) throw new Error(result.check.message);
    expect(result.check).toMatchObject({ ok: true, message: "Obtained an access token." });
    expect(await getConnection(db, ctx, result.id)).toMatchObject({
      status: "verified",
      lastVerifyOk: true,
      lastVerifyMessage: "Obtained an access token.",
    });
  });

  it("keeps the stored connection when an edit fails its check", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const saved = await saveConnection(db, ctx, {
      input: clientCredentials("CC edit", oauth.clients.clientCredentialsBasic.clientSecret),
      check: true,
    });
    if (!saved.saved) throw new Error(saved.check.message);
    const [before] = await db.select().from(connections).where(eq(connections.id, saved.id));
    const edit = await saveConnection(db, ctx, { connectionId: saved.id, input: clientCredentials("CC edit renamed", WRONG_SECRET), check: true });
    expect(edit.saved).toBe(false);
    const [after] = await db.select().from(connections).where(eq(connections.id, saved.id));
    expect(after).toEqual(before);
    expect(await verifyConnection(db, ctx, saved.id)).toMatchObject({ ok: true });
  });

  it("Save anyway saves without the check passing, then the stored connection shows its failed check", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const result = await saveConnection(db, ctx, { input: clientCredentials("CC anyway", WRONG_SECRET), check: false });
    if (!result.saved) throw new Error("not saved");
    expect(result.check).toMatchObject({ ok: false, message: expect.stringContaining("invalid_client") });
    const detail = await getConnection(db, ctx, result.id);
    expect(detail).toMatchObject({ status: "failed", lastVerifyOk: false, lastVerifyMessage: expect.stringContaining("invalid_client") });
    expect((await listTokenEvents(db, ctx, result.id)).map((e) => e.kind)).toEqual(["refresh_failed"]);
  });

  it("checks a Test URL: an API key refused with 401 is not saved; one without a Test URL is saved, not checked", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const refused = await saveConnection(db, ctx, {
      input: input({ type: "api_key", name: "Key 401", apiKey: "key-SECRET-91d0", testUrl: `${bin}/status/401` }),
      check: true,
    });
    expect(refused).toMatchObject({
      saved: false,
      check: { ok: false, message: expect.stringMatching(/answered HTTP 401 .*refused the connection's credentials/) },
    });
    const unchecked = await saveConnection(db, ctx, { input: input({ type: "api_key", name: "Key plain", apiKey: "key-SECRET-91d0" }), check: true });
    expect(unchecked).toMatchObject({ saved: true, check: null });
    expect(await listConnections(db, ctx)).toMatchObject([{ name: "Key plain", status: "never_verified" }]);
  });

  it("calls a relative Test URL on the on-premises Host", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { hostname, port } = new URL(bin);
    const result = await saveConnection(db, ctx, {
      input: input({
        type: "api_key",
        name: "On-prem",
        apiKey: "on-prem-key",
        scheme: "Bearer",
        host: `http://${hostname}`,
        port,
        testUrl: "/bearer",
      }),
      check: true,
    });
    expect(result).toMatchObject({ saved: true, check: { ok: true, message: "Test URL answered HTTP 200." } });
  });

  it("refuses a taken name before sending anything", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    await saveConnection(db, ctx, { input: input({ type: "api_key", name: "Taken", apiKey: "k" }), check: true });
    const before = oauth.countGrants("client_credentials");
    await expect(saveConnection(db, ctx, { input: clientCredentials("taken", WRONG_SECRET), check: true })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(oauth.countGrants("client_credentials")).toBe(before);
  });
});
