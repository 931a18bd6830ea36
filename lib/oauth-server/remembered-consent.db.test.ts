import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { makeTeamContext, makeUser } from "@/lib/testing/factories";
import { checkAuthorizationRequest } from "./authorize";
import { answerAuthorization } from "./authorize-answer";
import { decideConsent, listUserConsents, revokeConsent } from "./consents";
import { basic, formRequest, makeClient, pkcePair } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";

const REDIRECT = "https://client.example/callback";

async function check(clientId: string, params: Record<string, string>) {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: pkcePair().challenge,
    code_challenge_method: "S256",
    state: "st-1",
    ...params,
  });
  return checkAuthorizationRequest(await getDb(), query);
}

async function request(clientId: string, params: Record<string, string>) {
  const result = await check(clientId, params);
  if (result.kind !== "consent") throw new Error(`expected a valid request, got ${JSON.stringify(result)}`);
  return result.request;
}

const redirectParams = (answer: Awaited<ReturnType<typeof answerAuthorization>>) => {
  if (answer.kind !== "redirect") throw new Error(`expected a redirect, got ${answer.kind}`);
  return Object.fromEntries(new URL(answer.url).searchParams);
};

describe("remembered consent and prompt", () => {
  it("answers a request within the granted scopes with a code, and shows the screen again for more scopes or prompt=consent", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code", scopes: ["audit.log:read", "connections:read"] });

    const first = await request(app.clientId, { scope: "audit.log:read" });
    expect(await answerAuthorization(db, first, ctx.actor, "127.0.0.1")).toEqual({ kind: "consent-screen", isMember: true });
    await decideConsent(db, { ticket: { ...first, clientRowId: app.id, userId: ctx.actor.id }, approve: true, user: ctx.actor, ip: "127.0.0.1" });

    // Within what was granted: a code at once, which the token endpoint exchanges like any other.
    const { verifier, challenge } = pkcePair();
    const again = await request(app.clientId, { scope: "audit.log:read", code_challenge: challenge });
    const params = redirectParams(await answerAuthorization(db, again, ctx.actor, "127.0.0.1"));
    expect(params).toMatchObject({ code: expect.stringMatching(/^pbcode_/), state: "st-1", iss: "http://localhost:3000" });
    const token = await handleTokenRequest(
      db,
      formRequest(
        "/oauth2/token",
        { grant_type: "authorization_code", code: params.code, code_verifier: verifier, redirect_uri: REDIRECT },
        { authorization: basic(app.clientId, app.clientSecret) },
      ),
    );
    expect(token.status).toBe(200);
    const audited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, ctx.team.id), eq(auditEvents.action, "oauth.consent_remembered")));
    expect(audited).toHaveLength(1);

    // More than was granted, or prompt=consent: the screen.
    const wider = await request(app.clientId, { scope: "audit.log:read connections:read" });
    expect((await answerAuthorization(db, wider, ctx.actor, "127.0.0.1")).kind).toBe("consent-screen");
    const forced = await request(app.clientId, { scope: "audit.log:read", prompt: "consent" });
    expect((await answerAuthorization(db, forced, ctx.actor, "127.0.0.1")).kind).toBe("consent-screen");

    // Revoked in Profile: forgotten, so the screen comes back (and prompt=none is refused).
    const [consent] = await listUserConsents(db, ctx.actor.id);
    await revokeConsent(db, ctx.actor, consent.id, null);
    expect((await answerAuthorization(db, again, ctx.actor, "127.0.0.1")).kind).toBe("consent-screen");
    const silent = await request(app.clientId, { scope: "audit.log:read", prompt: "none" });
    expect(redirectParams(await answerAuthorization(db, silent, ctx.actor, "127.0.0.1"))).toMatchObject({ error: "consent_required", state: "st-1" });
  });

  it("prompt=none: login_required when signed out, consent_required without consent, access_denied for a non-member, a code when remembered", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const silent = await request(app.clientId, { scope: "audit.log:read", prompt: "none" });
    expect(redirectParams(await answerAuthorization(db, silent, null, "127.0.0.1"))).toMatchObject({ error: "login_required" });
    expect(redirectParams(await answerAuthorization(db, silent, ctx.actor, "127.0.0.1"))).toMatchObject({ error: "consent_required" });
    const outsider = await makeUser("Outsider");
    expect(redirectParams(await answerAuthorization(db, silent, outsider, "127.0.0.1"))).toMatchObject({ error: "access_denied" });

    await decideConsent(db, { ticket: { ...silent, clientRowId: app.id, userId: ctx.actor.id }, approve: true, user: ctx.actor, ip: "127.0.0.1" });
    expect(redirectParams(await answerAuthorization(db, silent, ctx.actor, "127.0.0.1"))).toMatchObject({ code: expect.stringMatching(/^pbcode_/) });
    // Signed out without prompt=none: the sign-in page, not an error.
    const plain = await request(app.clientId, { scope: "audit.log:read" });
    expect(await answerAuthorization(db, plain, null, "127.0.0.1")).toEqual({ kind: "sign-in" });
  });

  it("refuses prompt values it cannot honour with the errors OpenID Connect names", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { grantType: "authorization_code" });
    const errorOf = async (prompt: string) => {
      const result = await check(app.clientId, { prompt });
      if (result.kind !== "redirect") throw new Error(`expected a redirect, got ${result.kind}`);
      return new URL(result.url).searchParams.get("error");
    };
    expect(await errorOf("none consent")).toBe("invalid_request");
    expect(await errorOf("login")).toBe("login_required");
    expect(await errorOf("select_account")).toBe("account_selection_required");
    expect(await errorOf("bogus")).toBe("invalid_request");
    expect((await check(app.clientId, { prompt: "consent" })).kind).toBe("consent");
  });
});
