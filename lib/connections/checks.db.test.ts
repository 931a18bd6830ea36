import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { makeTeamContext } from "@/lib/testing/factories";
import {
  callbackUrl,
  completeAuthorization,
  createConnection,
  listConnectionChecks,
  listTokenEvents,
  recordConnectionCheck,
  renewClientCredentials,
  startAuthorization,
  startReauthorization,
  verifyConnection,
} from "./index";
import { connectionInputSchema } from "./schemas";

let oauth: OAuthTestServer;
let bin: string;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  bin = process.env.HTTPBIN_URL as string;
  oauth = await startOAuthTestServer({ autoApprove: true, redirectUris: [callbackUrl()] });
});
afterAll(async () => {
  await oauth?.stop();
  await closeHttpAgents();
});

describe("connection checks", () => {
  it("records each Verify as ok, failed or unchecked, newest first", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const basic = (name: string, testUrl?: string) =>
      createConnection(db, ctx, connectionInputSchema.parse({ type: "basic", name, username: "ada", password: "right-pass", testUrl }));
    const good = await basic("Good", `${bin}/basic-auth/ada/right-pass`);
    const bad = await basic("Bad", `${bin}/basic-auth/ada/other-pass`);
    const unchecked = await basic("Unchecked");
    await verifyConnection(db, ctx, good.id);
    await verifyConnection(db, ctx, bad.id);
    await verifyConnection(db, ctx, good.id);
    await verifyConnection(db, ctx, unchecked.id);
    expect((await listConnectionChecks(db, ctx, good.id)).map((c) => [c.source, c.outcome])).toEqual([
      ["verify", "ok"],
      ["verify", "ok"],
    ]);
    const [failed] = await listConnectionChecks(db, ctx, bad.id);
    expect(failed).toMatchObject({ source: "verify", outcome: "failed", message: expect.stringContaining("HTTP 401") });
    expect(failed.message).not.toContain("right-pass");
    expect((await listConnectionChecks(db, ctx, unchecked.id)).map((c) => c.outcome)).toEqual(["unchecked"]);
    // Another team sees none of them.
    expect(await listConnectionChecks(db, await makeTeamContext(), good.id)).toEqual([]);
  });

  it("keeps only the newest checks of each connection", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const a = await createConnection(db, ctx, connectionInputSchema.parse({ type: "api_key", name: "A", apiKey: "k" }));
    const b = await createConnection(db, ctx, connectionInputSchema.parse({ type: "api_key", name: "B", apiKey: "k" }));
    const t0 = Date.parse("2026-11-01T00:00:00Z");
    await recordConnectionCheck(db, { id: b.id, teamId: ctx.team.id }, { source: "save", outcome: "ok", message: "b", at: new Date(t0) }, 3);
    for (let i = 0; i < 6; i++) {
      await recordConnectionCheck(
        db,
        { id: a.id, teamId: ctx.team.id },
        { source: "verify", outcome: i % 2 ? "ok" : "failed", message: `check ${i}`, at: new Date(t0 + i * 1000) },
        3,
      );
    }
    expect((await listConnectionChecks(db, ctx, a.id)).map((c) => c.message)).toEqual(["check 5", "check 4", "check 3"]);
    // The bound is per connection: B's one check stays.
    expect((await listConnectionChecks(db, ctx, b.id)).map((c) => c.message)).toEqual(["b"]);
  });

  it("records a Reauthorize as such in the token timeline, by consent or by a new token", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const c = oauth.clients.authCodeBasic;
    const input = connectionInputSchema.parse({
      type: "oauth2_code",
      name: "Consented",
      authorizeUrl: oauth.authorizeUrl,
      tokenUrl: oauth.tokenUrl,
      scopes: "openid offline_access read:things",
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      clientAuth: c.clientAuth,
      issuer: oauth.issuer,
      issParameterSupported: true,
    });
    const created = await startAuthorization(db, ctx, { mode: "create", input });
    const first = await completeAuthorization(db, ctx.actor.id, new URL(await driveAuthorization(created.redirectUrl)));
    if (!first.ok) throw new Error(first.message);
    const again = await startReauthorization(db, ctx, first.connectionId);
    expect(await completeAuthorization(db, ctx.actor.id, new URL(await driveAuthorization(again.redirectUrl)))).toMatchObject({ ok: true });
    expect((await listTokenEvents(db, ctx, first.connectionId)).map((e) => e.kind)).toEqual(["reauthorized", "issued"]);

    const cc = oauth.clients.clientCredentialsBasic;
    const { id } = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({
        type: "oauth2_client_credentials",
        name: "Machine",
        tokenUrl: oauth.tokenUrl,
        scopes: "read:things",
        clientId: cc.clientId,
        clientSecret: cc.clientSecret,
        clientAuth: cc.clientAuth,
      }),
    );
    expect(await renewClientCredentials(db, ctx, id)).toMatchObject({ ok: true });
    expect((await listTokenEvents(db, ctx, id)).map((e) => e.kind)).toEqual(["reauthorized"]);
    expect((await listConnectionChecks(db, ctx, id)).map((e) => [e.source, e.outcome])).toEqual([["reauthorize", "ok"]]);
  });
});
