import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { alertEvents } from "@/db/schema";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import {
  callbackUrl,
  completeAuthorization,
  getConnection,
  getCredentialProvider,
  startAuthorization,
  startReauthorization,
} from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { executeHttpRequest } from "@/lib/http";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { makeTeamContext } from "@/lib/testing/factories";

/**
 * The status writers outside Verify raise alerts too: a token refresh during an ordinary request that finds
 * the grant revoked (needs reauthorization), and a Reauthorize by consent (resolved).
 */
let oauth: OAuthTestServer;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  oauth = await startOAuthTestServer({ autoApprove: true, redirectUris: [callbackUrl()] });
});
afterAll(async () => {
  await oauth?.stop();
  await closeHttpAgents();
});

describe("connection status alerts from refreshes and Reauthorize", () => {
  it("a revoked refresh token found by a request raises needs reauthorization; Reauthorize raises resolved", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const c = oauth.clients.authCodeBasic;
    const input = connectionInputSchema.parse({
      type: "oauth2_code",
      name: "Mailbox",
      authorizeUrl: oauth.authorizeUrl,
      tokenUrl: oauth.tokenUrl,
      scopes: "openid offline_access read:things",
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      clientAuth: c.clientAuth,
      testUrl: oauth.resourceUrl,
      issuer: oauth.issuer,
      issParameterSupported: true,
    });
    const created = await completeAuthorization(
      db,
      ctx.actor.id,
      new URL(await driveAuthorization((await startAuthorization(db, ctx, { mode: "create", input })).redirectUrl)),
    );
    if (!created.ok) throw new Error(created.message);
    const id = created.connectionId;

    oauth.expireAccessTokens();
    oauth.revokeRefreshTokens({ clientId: c.clientId });
    const { provider } = await getCredentialProvider(db, ctx, id);
    // An ordinary request, not Verify: the refresh's own status write is what raises the alert.
    await executeHttpRequest({ url: oauth.resourceUrl }, { provider, allowedTargets: parseAllowedHosts("127.0.0.1") });
    expect((await getConnection(db, ctx, id)).status).toBe("needs_reauthorization");
    const kinds = async () =>
      (await db.select().from(alertEvents).where(eq(alertEvents.teamId, ctx.team.id)).orderBy(asc(alertEvents.createdAt))).map((a) => a.kind);
    expect(await kinds()).toEqual(["connection.needs_reauthorization"]);

    const back = await driveAuthorization((await startReauthorization(db, ctx, id)).redirectUrl);
    expect(await completeAuthorization(db, ctx.actor.id, new URL(back))).toMatchObject({ ok: true, connectionId: id });
    expect(await kinds()).toEqual(["connection.needs_reauthorization", "connection.resolved"]);
  });
});
