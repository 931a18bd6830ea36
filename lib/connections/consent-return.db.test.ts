import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { driveAuthorization } from "@/e2e/support/oauth-test-browser";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { ServiceError } from "@/lib/errors/service-error";
import { makeTeamContext } from "@/lib/testing/factories";
import { callbackUrl, completeAuthorization, startAuthorization } from "./index";
import { connectionInputSchema } from "./schemas";

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

function authCode(name: string) {
  const c = oauth.clients.authCodeBasic;
  return connectionInputSchema.parse({
    type: "oauth2_code",
    name,
    authorizeUrl: oauth.authorizeUrl,
    tokenUrl: oauth.tokenUrl,
    scopes: "openid offline_access read:things",
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuth: c.clientAuth,
    issuer: oauth.issuer,
    issParameterSupported: true,
  });
}

describe("consent started in place (New connection… in the builder or a flow step)", () => {
  it("keeps the return path with the state and gives it back with the created connection", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { redirectUrl } = await startAuthorization(db, ctx, { mode: "create", input: authCode("In place"), returnPath: "/flows/new" });
    // The return path travels server-side only: the provider never sees it.
    expect(redirectUrl).not.toContain("flows");
    const back = new URL(await driveAuthorization(redirectUrl));
    // A return path added to the callback's query by anyone is ignored: the stored one wins.
    back.searchParams.set("returnPath", "/evil");
    const outcome = await completeAuthorization(db, ctx.actor.id, back);
    expect(outcome).toMatchObject({ ok: true, returnPath: "/flows/new" });
  });

  it("gives the return path back when the consent fails too, and none when none was stored", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { redirectUrl } = await startAuthorization(db, ctx, { mode: "create", input: authCode("Denied"), returnPath: "/requests" });
    const state = new URL(redirectUrl).searchParams.get("state") ?? "";
    const denied = new URL(`${callbackUrl()}?error=access_denied&state=${state}&iss=${encodeURIComponent(oauth.issuer)}`);
    expect(await completeAuthorization(db, ctx.actor.id, denied)).toMatchObject({ ok: false, returnPath: "/requests" });

    const plain = await startAuthorization(db, ctx, { mode: "create", input: authCode("Plain") });
    const outcome = await completeAuthorization(db, ctx.actor.id, new URL(await driveAuthorization(plain.redirectUrl)));
    expect(outcome.ok).toBe(true);
    expect(outcome.returnPath).toBeUndefined();
  });

  it("refuses a return path that is not a path on this site", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    for (const returnPath of ["//evil.example/requests", "https://evil.example/", "/\\evil.example"]) {
      await expect(startAuthorization(db, ctx, { mode: "create", input: authCode("Evil"), returnPath })).rejects.toBeInstanceOf(ServiceError);
    }
  });
});
