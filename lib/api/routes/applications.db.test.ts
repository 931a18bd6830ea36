import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { formRequest, appToken, basic, clientCredentialsToken } from "@/lib/oauth-server/test-helpers";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { makeTeamContext } from "@/lib/testing/factories";
import { apiRouteHandler } from "../handler";
import { buildOpenApiDocument } from "../openapi";
import { callRoute } from "../test-helpers";
import { BASE } from "@/lib/oauth-server/test-helpers";
import * as routes from "./applications";

type ApplicationJson = {
  id: string;
  clientId: string;
  authMethod: string;
  accessTokenFormat: string;
  accessTokenTtlSeconds: number | null;
  effective: { accessTokenTtlSeconds: number };
  jwks: { keys: object[] } | null;
  activeSecrets: number;
};
type SecretJson = { id: string; status: string };

async function tokenAnswer(clientId: string, secret: string) {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(clientId, secret) }),
  );
  return { status: response.status, body: (await response.json()) as { expires_in?: number; access_token?: string } };
}

describe("/api/v1/applications", () => {
  it("creates an application (its secret in that answer only), lists, reads and changes its lifetimes, token format and private_key_jwt keys", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["applications:read", "applications:write", "connections:read"], "admin");
    const created = await callRoute(routes.createApplicationRoute, token, {
      path: "/api/v1/applications",
      method: "POST",
      body: { name: "Billing sync", scopes: ["connections:read"], role: "member" },
    });
    expect(created.status).toBe(201);
    const { application, clientSecret } = (await created.json()) as { application: ApplicationJson; clientSecret: string };
    expect(application).toMatchObject({ authMethod: "client_secret_basic", accessTokenFormat: "opaque", activeSecrets: 1, jwks: null });
    // Made by an admin: approved when made (only dynamic registrations may wait for an approver).
    expect(application).toMatchObject({ registration: "manual", approvedAt: expect.any(String), approvedBy: null });
    expect(await clientCredentialsToken({ clientId: application.clientId, clientSecret })).toMatch(/^pbat_/);

    const list = await (await callRoute(routes.listApplicationsRoute, token, { path: "/api/v1/applications" })).text();
    expect(list).toContain(application.clientId);
    expect(list).not.toContain(clientSecret);
    const one = await callRoute(routes.getApplicationRoute, token, { path: `/api/v1/applications/${application.id}`, id: application.id });
    const oneText = await one.text();
    expect(oneText).not.toContain(clientSecret);
    expect(JSON.parse(oneText)).toMatchObject({ application: { id: application.id }, secrets: [{ status: "active" }] });

    const patched = await callRoute(routes.updateApplicationRoute, token, {
      path: `/api/v1/applications/${application.id}`,
      method: "PATCH",
      id: application.id,
      body: { accessTokenTtlSeconds: 120 },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { application: ApplicationJson }).application).toMatchObject({
      accessTokenTtlSeconds: 120,
      effective: { accessTokenTtlSeconds: 120 },
      accessTokenFormat: "opaque",
    });
    expect((await tokenAnswer(application.clientId, clientSecret)).body.expires_in).toBe(120);

    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const withPrivateKey = await callRoute(routes.updateApplicationRoute, token, {
      path: `/api/v1/applications/${application.id}`,
      method: "PATCH",
      id: application.id,
      body: { authMethod: "private_key_jwt", jwks: { keys: [await exportJWK(privateKey)] } },
    });
    expect(withPrivateKey.status).toBe(400);
    expect(((await withPrivateKey.json()) as { fields: Record<string, string> }).fields["body.jwks"]).toContain("private key");
    const keysOnly = await callRoute(routes.updateApplicationRoute, token, {
      path: `/api/v1/applications/${application.id}`,
      method: "PATCH",
      id: application.id,
      body: { jwksUri: "https://keys.example/jwks.json" },
    });
    expect(keysOnly.status).toBe(400);
    const switched = await callRoute(routes.updateApplicationRoute, token, {
      path: `/api/v1/applications/${application.id}`,
      method: "PATCH",
      id: application.id,
      body: { authMethod: "private_key_jwt", jwks: { keys: [await exportJWK(publicKey)] }, accessTokenFormat: "jwt" },
    });
    expect(((await switched.json()) as { application: ApplicationJson }).application).toMatchObject({
      authMethod: "private_key_jwt",
      accessTokenFormat: "jwt",
      accessTokenTtlSeconds: 120,
      jwks: { keys: [{ kty: "EC", crv: "P-256" }] },
    });
    // Registered for private_key_jwt now: the secret no longer authenticates it.
    expect((await tokenAnswer(application.clientId, clientSecret)).status).toBe(401);
  });

  it("adds a secret (its value in that answer only), lists the secrets without values and revokes one", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["applications:read", "applications:write", "connections:read"], "admin");
    const created = (await (
      await callRoute(routes.createApplicationRoute, token, {
        path: "/api/v1/applications",
        method: "POST",
        body: { name: "Rotating", scopes: ["connections:read"] },
      })
    ).json()) as { application: ApplicationJson; clientSecret: string };
    const id = created.application.id;
    const added = await callRoute(routes.addApplicationSecretRoute, token, { path: `/api/v1/applications/${id}/secrets`, method: "POST", id });
    expect(added.status).toBe(201);
    const { secret, clientSecret } = (await added.json()) as { secret: SecretJson; clientSecret: string };
    expect(secret.status).toBe("active");
    const listed = await (await callRoute(routes.listApplicationSecretsRoute, token, { path: `/api/v1/applications/${id}/secrets`, id })).text();
    expect(listed).not.toContain(clientSecret);
    expect(listed).not.toContain(created.clientSecret);
    const secrets = (JSON.parse(listed) as { secrets: SecretJson[] }).secrets;
    expect(secrets.map((s) => s.status)).toEqual(["active", "active"]);
    // Both work during the switch; then the old one is revoked.
    expect((await tokenAnswer(created.application.clientId, clientSecret)).status).toBe(200);
    const old = secrets.find((s) => s.id !== secret.id)!;
    const revoke = await apiRouteHandler(routes.revokeApplicationSecretRoute)(
      new Request(`${BASE}/api/v1/applications/${id}/secrets/${old.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({ id, secretId: old.id }) },
    );
    expect(revoke.status).toBe(204);
    expect((await tokenAnswer(created.application.clientId, created.clientSecret)).status).toBe(401);
    expect((await tokenAnswer(created.application.clientId, clientSecret)).status).toBe(200);
    const lastOne = await apiRouteHandler(routes.revokeApplicationSecretRoute)(
      new Request(`${BASE}/api/v1/applications/${id}/secrets/${secret.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({ id, secretId: secret.id }) },
    );
    expect(lastOne.status).toBe(409);

    // Regenerate: "replace now", the current secret and (asked for) the tokens it got stop at once.
    const issued = (await tokenAnswer(created.application.clientId, clientSecret)).body.access_token ?? "";
    const regenerated = await callRoute(routes.regenerateApplicationSecretRoute, token, {
      path: `/api/v1/applications/${id}/regenerate-secret`,
      method: "POST",
      id,
      body: { revokeTokens: true },
    });
    expect(regenerated.status).toBe(200);
    const fresh = (await regenerated.json()) as { clientSecret: string; revokedTokens: number };
    expect(fresh.revokedTokens).toBeGreaterThanOrEqual(1);
    expect((await tokenAnswer(created.application.clientId, clientSecret)).status).toBe(401);
    expect((await tokenAnswer(created.application.clientId, fresh.clientSecret)).status).toBe(200);
    // Revoked (401), not merely short of the scope (403).
    expect((await callRoute(routes.listApplicationsRoute, issued, { path: "/api/v1/applications" })).status).toBe(401);
  });

  it("refuses scopes the token does not hold, a token without the scope or the admin role, and another team's application", async () => {
    const ctx = await makeTeamContext("admin");
    const token = await appToken(ctx, ["applications:read", "applications:write"], "admin");
    const stronger = await callRoute(routes.createApplicationRoute, token, {
      path: "/api/v1/applications",
      method: "POST",
      body: { name: "Exporter", scopes: ["team:export"] },
    });
    expect(stronger.status).toBe(403);
    const badRedirect = await callRoute(routes.createApplicationRoute, token, {
      path: "/api/v1/applications",
      method: "POST",
      body: { name: "Web", grantType: "authorization_code", redirectUris: ["http://example.com/cb"], scopes: ["applications:read"] },
    });
    expect(badRedirect.status).toBe(400);
    expect(((await badRedirect.json()) as { fields: Record<string, string> }).fields["body.redirectUris"]).toContain("https");

    const readOnly = await appToken(ctx, ["applications:read"], "admin");
    expect(
      (
        await callRoute(routes.createApplicationRoute, readOnly, {
          path: "/api/v1/applications",
          method: "POST",
          body: { name: "x", scopes: ["applications:read"] },
        })
      ).status,
    ).toBe(403);
    const member = await appToken(ctx, ["applications:read"], "member");
    expect((await callRoute(routes.listApplicationsRoute, member, { path: "/api/v1/applications" })).status).toBe(403);

    const other = await makeTeamContext("admin");
    const otherToken = await appToken(other, ["applications:read", "applications:write"], "admin");
    const mine = (await (await callRoute(routes.listApplicationsRoute, token, { path: "/api/v1/applications" })).json()) as {
      applications: ApplicationJson[];
    };
    const target = mine.applications[0].id;
    expect((await callRoute(routes.getApplicationRoute, otherToken, { path: `/api/v1/applications/${target}`, id: target })).status).toBe(404);
    expect(
      (await callRoute(routes.deleteApplicationRoute, otherToken, { path: `/api/v1/applications/${target}`, method: "DELETE", id: target })).status,
    ).toBe(404);
  });

  it("is in the OpenAPI document with its scopes", () => {
    const doc = buildOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, { security?: { oauth2: string[] }[] }>>;
    };
    expect(doc.paths["/api/v1/applications"].post.security).toEqual([{ oauth2: ["applications:write"] }]);
    expect(doc.paths["/api/v1/applications/{id}"].patch.security).toEqual([{ oauth2: ["applications:write"] }]);
    expect(doc.paths["/api/v1/applications/{id}/secrets"].get.security).toEqual([{ oauth2: ["applications:read"] }]);
    expect(doc.paths["/api/v1/applications/{id}/secrets/{secretId}"].delete.security).toEqual([{ oauth2: ["applications:write"] }]);
  });
});
