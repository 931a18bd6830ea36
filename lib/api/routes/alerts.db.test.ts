import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { startAlertWorkers, stopAlertWorkers } from "@/lib/alerts";
import { waitForDelivery } from "@/lib/alerts/testing";
import type { TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http";
import { startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { stopQueue } from "@/lib/jobs";
import { checkAuthorizationRequest } from "@/lib/oauth-server/authorize";
import { decideConsent } from "@/lib/oauth-server/consents";
import { basic, formRequest, makeClient, pkcePair, appToken } from "@/lib/oauth-server/test-helpers";
import { callRoute } from "../test-helpers";
import type { ScopeName } from "@/lib/oauth-server/scopes";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { buildOpenApiDocument } from "../openapi";
import * as routes from "./alerts";

let receiver: LocalServer;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  process.env.PLUGBOARD_JOBS_SCHEMA = "pgboss_test_api_alerts";
  delete process.env.PLUGBOARD_SMTP_HOST;
  resetEnvCache();
  receiver = await startLocalServer((_req, res) => res.writeHead(200).end());
  await startAlertWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopAlertWorkers();
  await stopQueue({ graceful: false });
  await receiver?.close();
  await closeHttpAgents();
});

/** A user's own token (authorization code with PKCE, consent given), as a third-party app gets one. */
async function userTokenFor(admin: TeamContext, ctx: TeamContext, scopes: ScopeName[]) {
  const db = await getDb();
  const redirectUri = "https://client.example/callback";
  const app = await makeClient(admin, { grantType: "authorization_code", scopes, role: "member", redirectUris: redirectUri });
  const { verifier, challenge } = pkcePair();
  const check = await checkAuthorizationRequest(
    db,
    new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: "S256",
      scope: scopes.join(" "),
    }),
  );
  if (check.kind !== "consent") throw new Error(`expected consent, got ${check.kind}`);
  const { client, ...rest } = check.request;
  const decision = await decideConsent(db, {
    ticket: { ...rest, clientRowId: client.id, userId: ctx.actor.id },
    approve: true,
    user: ctx.actor,
    ip: "127.0.0.1",
  });
  if (decision.kind !== "redirect") throw new Error(decision.message);
  const code = new URL(decision.url).searchParams.get("code") ?? "";
  const response = await handleTokenRequest(
    db,
    formRequest(
      "/oauth2/token",
      { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier },
      { authorization: basic(app.clientId, app.clientSecret) },
    ),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("/api/v1/alerts", () => {
  it("creates a webhook endpoint (secret once), sends a test event, reads the delivery log, deletes it; admin scope and role required", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["alerts:admin"], "admin");

    const created = await callRoute(routes.createAlertEndpointRoute, token, {
      path: "/api/v1/alerts/endpoints",
      method: "POST",
      body: { channel: "webhook", url: `${receiver.url}/in`, events: ["connection.failing"] },
    });
    expect(created.status).toBe(201);
    const { endpoint, secret } = (await created.json()) as { endpoint: { id: string; target: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const list = await (await callRoute(routes.listAlertEndpointsRoute, token, { path: "/api/v1/alerts/endpoints" })).text();
    expect(list).toContain(endpoint.id);
    expect(list).not.toContain(secret);

    const sent = await callRoute(routes.sendTestAlertRoute, token, {
      path: `/api/v1/alerts/endpoints/${endpoint.id}/test`,
      method: "POST",
      id: endpoint.id,
    });
    const { deliveryId } = (await sent.json()) as { deliveryId: string };
    await waitForDelivery(await getDb(), deliveryId, ["delivered"]);
    const log = (await (
      await callRoute(routes.listAlertDeliveriesRoute, token, { path: `/api/v1/alerts/endpoints/${endpoint.id}/deliveries`, id: endpoint.id })
    ).json()) as { deliveries: unknown[] };
    expect(log.deliveries).toEqual([expect.objectContaining({ id: deliveryId, kind: "alert.test", status: "delivered", responseStatus: 200 })]);

    // A bad field is a 400 naming it; email without SMTP settings is a 409 saying why.
    const bad = await callRoute(routes.createAlertEndpointRoute, token, {
      path: "/api/v1/alerts/endpoints",
      method: "POST",
      body: { channel: "webhook", url: "ftp://x", events: [] },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/url/);
    const email = await callRoute(routes.createAlertEndpointRoute, token, {
      path: "/api/v1/alerts/endpoints",
      method: "POST",
      body: { channel: "email", address: "ops@example.test", events: ["connection.failing"] },
    });
    expect(email.status).toBe(409);
    expect(await email.text()).toMatch(/no SMTP server/);

    const settings = await callRoute(routes.updateAlertSettingsRoute, token, {
      path: "/api/v1/alerts/settings",
      method: "PUT",
      body: { flowFailureStreak: 5 },
    });
    expect(await settings.json()).toEqual({ flowFailureStreak: 5 });

    // Another scope, or a member's token, is refused.
    const otherScope = await appToken(ctx, ["connections:read"], "admin");
    expect((await callRoute(routes.listAlertEndpointsRoute, otherScope, { path: "/api/v1/alerts/endpoints" })).status).toBe(403);
    const member = await appToken(ctx, ["alerts:admin"], "member");
    expect((await callRoute(routes.listAlertEndpointsRoute, member, { path: "/api/v1/alerts/endpoints" })).status).toBe(403);

    // Edit (fields left out keep their value), disable, rotate the secret (the new one in the answer only).
    const patched = await callRoute(routes.updateAlertEndpointRoute, token, {
      path: `/api/v1/alerts/endpoints/${endpoint.id}`,
      method: "PATCH",
      id: endpoint.id,
      body: { description: "pager", enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { endpoint: unknown }).endpoint).toMatchObject({
      target: `${receiver.url}/in`,
      description: "pager",
      events: ["connection.failing"],
      enabled: false,
      previousSecretValidUntil: null,
    });
    const badPatch = await callRoute(routes.updateAlertEndpointRoute, token, {
      path: `/api/v1/alerts/endpoints/${endpoint.id}`,
      method: "PATCH",
      id: endpoint.id,
      body: { url: "ftp://x" },
    });
    expect(badPatch.status).toBe(400);
    expect(await badPatch.text()).toMatch(/url/);
    const rotated = await callRoute(routes.rotateAlertEndpointSecretRoute, token, {
      path: `/api/v1/alerts/endpoints/${endpoint.id}/rotate-secret`,
      method: "POST",
      id: endpoint.id,
    });
    const rotation = (await rotated.json()) as { secret: string; previousSecretValidUntil: string; endpoint: { previousSecretValidUntil: string } };
    expect(rotation.secret).toMatch(/^whsec_/);
    expect(rotation.secret).not.toBe(secret);
    expect(rotation.endpoint.previousSecretValidUntil).toBe(rotation.previousSecretValidUntil);
    const listed = await (await callRoute(routes.listAlertEndpointsRoute, token, { path: "/api/v1/alerts/endpoints" })).text();
    expect(listed).not.toContain(rotation.secret);
    expect(listed).toContain('"enabled":false');
    expect((await callRoute(routes.rotateAlertEndpointSecretRoute, member, { path: "/x", method: "POST", id: endpoint.id })).status).toBe(403);

    const deleted = await callRoute(routes.deleteAlertEndpointRoute, token, {
      path: `/api/v1/alerts/endpoints/${endpoint.id}`,
      method: "DELETE",
      id: endpoint.id,
    });
    expect(deleted.status).toBe(204);
  });

  it("a member reads and sets their own email alerts with a user's token; an application's own token is refused", async () => {
    const admin = await makeTeamContext("admin");
    const ctx = await addMember(admin);
    const token = await userTokenFor(admin, ctx, ["alerts:personal"]);
    const get = () => callRoute(routes.getPersonalAlertsRoute, token, { path: "/api/v1/alerts/me" });
    const put = (events: unknown) =>
      callRoute(routes.updatePersonalAlertsRoute, token, { path: "/api/v1/alerts/me", method: "PUT", body: { events } });
    expect(await (await get()).json()).toEqual({ events: [], emailUnavailable: expect.stringMatching(/no SMTP server/) });
    // Without SMTP settings, choosing alerts is a 409 saying why; choosing none is fine.
    expect((await put(["connection.failing"])).status).toBe(409);
    process.env.PLUGBOARD_SMTP_HOST = "127.0.0.1";
    process.env.PLUGBOARD_SMTP_FROM = "plugboard@example.test";
    resetEnvCache();
    try {
      const set = await put(["connection.failing", "flow.resolved"]);
      expect(set.status).toBe(200);
      expect(await (await get()).json()).toEqual({ events: ["connection.failing", "flow.resolved"], emailUnavailable: null });
      const bad = await put(["connection.exploded"]);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/events/);
      // Application alerts name what only admins may see: a member cannot choose them.
      const adminOnly = await put(["connection.failing", "application.secret_expiring"]);
      expect(adminOnly.status).toBe(400);
      expect(await adminOnly.json()).toMatchObject({ fields: { "body.events": expect.stringMatching(/Only team admins/) } });
      expect(await (await get()).json()).toMatchObject({ events: ["connection.failing", "flow.resolved"] });
      // The same choice as the Profile page's.
      const { getPersonalAlerts } = await import("@/lib/alerts");
      expect(await getPersonalAlerts(await getDb(), ctx)).toEqual(["connection.failing", "flow.resolved"]);
      // An application's own token (client credentials) has no inbox.
      const applicationToken = await appToken(admin, ["alerts:personal"], "member");
      const refused = await callRoute(routes.getPersonalAlertsRoute, applicationToken, { path: "/api/v1/alerts/me" });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/user's token/);
      // Another scope is refused.
      const other = await userTokenFor(admin, ctx, ["connections:read"]);
      expect((await callRoute(routes.getPersonalAlertsRoute, other, { path: "/api/v1/alerts/me" })).status).toBe(403);
    } finally {
      delete process.env.PLUGBOARD_SMTP_HOST;
      delete process.env.PLUGBOARD_SMTP_FROM;
      resetEnvCache();
    }
  });

  it("is in the OpenAPI document under the alerts:admin scope", () => {
    const doc = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { security?: { oauth2: string[] }[] }>> };
    expect(doc.paths["/api/v1/alerts/endpoints"].post.security).toEqual([{ oauth2: ["alerts:admin"] }]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/alerts/endpoints/{id}/deliveries", "/api/v1/alerts/settings"]));
    expect(doc.paths["/api/v1/alerts/me"].put.security).toEqual([{ oauth2: ["alerts:personal"] }]);
  });
});
