import { execSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import * as client from "openid-client";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { startClientApp } from "./support/oauth-client-app";

test.describe.configure({ mode: "serial" });
test.use({ storageState: ADMIN_STATE });

type NewApp = {
  name: string;
  grantType?: "Client credentials" | "Authorization code";
  method: "Client secret basic" | "Client secret post";
  scopes: string[];
  role?: "member" | "admin";
  redirectUris?: string;
};

async function createApp(page: Page, app: NewApp) {
  await page.goto("/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const dialog = page.getByRole("dialog", { name: "New OAuth client" });
  await dialog.getByLabel("Name").fill(app.name);
  if (app.grantType) await dialog.getByLabel("Grant type").selectOption({ label: app.grantType });
  if (app.redirectUris) await dialog.getByLabel("Redirect URIs").fill(app.redirectUris);
  if (app.role) await dialog.getByLabel("Acts as").selectOption(app.role);
  await dialog.getByLabel("Authentication method").selectOption({ label: app.method });
  for (const scope of app.scopes) await dialog.getByRole("checkbox", { name: scope }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  return readSecret(page, "Application created");
}

async function readSecret(page: Page, title: string) {
  const dialog = page.getByRole("dialog", { name: title });
  await expect(dialog.getByText("It will not be shown again")).toBeVisible();
  const credentials = {
    clientId: await dialog.getByLabel("Client ID").inputValue(),
    clientSecret: await dialog.getByLabel("Client secret").inputValue(),
  };
  await dialog.getByRole("button", { name: "Done" }).click();
  return credentials;
}

/** The RFC 6749 error code of a refused request; a 401 after Basic arrives as a WWW-Authenticate challenge. */
async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof client.WWWAuthenticateChallengeError) return ((await error.response.json()) as { error: string }).error;
    if (error instanceof client.ResponseBodyError) return error.error;
    throw error;
  }
  throw new Error("the request was not refused");
}

function configFor(baseURL: string, clientId: string, auth: client.ClientAuth) {
  return client.discovery(new URL(baseURL), clientId, undefined, auth, { execute: [client.allowInsecureRequests], algorithm: "oauth2" });
}

/** openid-client throws on a WWW-Authenticate challenge (401/403); the test wants the response either way. */
async function callAuditLog(config: client.Configuration, baseURL: string, token: string): Promise<Response> {
  try {
    return await client.fetchProtectedResource(config, token, new URL("/api/v1/audit-log", baseURL), "GET");
  } catch (error) {
    if (error instanceof client.WWWAuthenticateChallengeError) return error.response;
    throw error;
  }
}

test("client credentials: the documented curl command works, and openid-client (post) calls the API", async ({ page, baseURL }) => {
  const { clientId, clientSecret } = await createApp(page, {
    name: "Reporting bot",
    method: "Client secret post",
    scopes: ["audit.log:read", "connections:read"],
    role: "admin",
  });
  await expect(page.getByTestId("application-Reporting bot")).toContainText("Client credentials");
  await expect(page.getByTestId("application-Reporting bot")).toContainText(ADMIN.name);

  const output = execSync(
    `curl --silent --request POST --url ${baseURL}/oauth2/token --header 'content-type: multipart/form-data' --form client_id=${clientId} --form client_secret=${clientSecret} --form grant_type=client_credentials --form scope='audit.log:read connections:read'`,
  ).toString();
  expect(JSON.parse(output)).toEqual({
    access_token: expect.stringMatching(/^pbat_/),
    scope: "audit.log:read connections:read",
    token_type: "Bearer",
    expires_in: 899,
  });

  const config = await configFor(baseURL!, clientId, client.ClientSecretPost(clientSecret));
  expect(config.serverMetadata().code_challenge_methods_supported).toEqual(["S256"]);
  const tokens = await client.clientCredentialsGrant(config, { scope: "audit.log:read" });
  expect(tokens.refresh_token).toBeUndefined();
  const response = await callAuditLog(config, baseURL!, tokens.access_token);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { events: { action: string; actor: { kind: string; label: string } }[] };
  expect(body.events).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        action: "oauth.token_issued",
        actor: expect.objectContaining({ kind: "application", label: "Reporting bot (application)" }),
      }),
    ]),
  );

  await page.reload();
  await expect(page.getByTestId("application-Reporting bot")).not.toContainText("Never");
});

test("client_secret_basic with openid-client; scopes narrow; regenerate and delete from the row menu", async ({ page, baseURL }) => {
  const { clientId, clientSecret } = await createApp(page, {
    name: "Sync job",
    method: "Client secret basic",
    scopes: ["connections:read"],
    role: "admin",
  });
  const config = await configFor(baseURL!, clientId, client.ClientSecretBasic(clientSecret));
  const tokens = await client.clientCredentialsGrant(config);
  const refused = await callAuditLog(config, baseURL!, tokens.access_token);
  expect(refused.status).toBe(403);
  expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  expect(await oauthError(client.clientCredentialsGrant(config, { scope: "audit.log:read" }))).toBe("invalid_scope");

  await page.getByRole("button", { name: "Actions for Sync job" }).click();
  await page.getByRole("menuitem", { name: "Regenerate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Regenerate secret" }).click();
  const renewed = await readSecret(page, "New client secret");
  expect(renewed.clientId).toBe(clientId);
  expect(renewed.clientSecret).not.toBe(clientSecret);
  expect(await oauthError(client.clientCredentialsGrant(config))).toBe("invalid_client");
  const renewedConfig = await configFor(baseURL!, clientId, client.ClientSecretBasic(renewed.clientSecret));
  const fresh = await client.clientCredentialsGrant(renewedConfig);

  await page.getByRole("button", { name: "Actions for Sync job" }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete application" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Click again to delete" }).click();
  await expect(page.getByTestId("application-Sync job")).toHaveCount(0);
  const audit = await fetch(new URL("/api/v1/audit-log", baseURL), { headers: { authorization: `Bearer ${fresh.access_token}` } });
  expect(audit.status).toBe(401);
  expect(audit.headers.get("www-authenticate")).toContain('error="invalid_token"');
});

test("authorization code in the browser: consent, PKCE exchange, replay refused, consent revoked in the profile", async ({ page, baseURL }) => {
  const app = await startClientApp(baseURL!);
  try {
    const { clientId, clientSecret } = await createApp(page, {
      name: "Partner portal",
      grantType: "Authorization code",
      redirectUris: app.redirectUri,
      method: "Client secret basic",
      scopes: ["audit.log:read"],
    });
    const config = await app.configure(clientId, clientSecret);

    // An unregistered redirect URI is never followed: the error stays on Plugboard's page.
    await page.goto(`/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`);
    await expect(page.getByText("The redirect URI the application sent is not registered")).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(baseURL!).host);

    await page.goto(`http://localhost:${app.port}/login`);
    await expect(page.getByRole("heading", { name: "Authorize Partner portal" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Requested scopes" })).toContainText("Read the team's audit log");
    const framing = await page.request.get(page.url());
    expect(framing.headers()["x-frame-options"]).toBe("DENY");
    expect(framing.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await page.getByRole("button", { name: "Allow" }).click();
    await expect(page.getByRole("heading", { name: "Signed in to the client app" })).toBeVisible();
    const first = app.result.tokens!;
    expect(first.refresh_token).toMatch(/^pbrt_/);
    expect(app.result.callbackUrl!.searchParams.get("iss")).toBe(baseURL);
    expect((await callAuditLog(config, baseURL!, first.access_token)).status).toBe(200);

    // The same code again is refused, and what it issued is revoked.
    const replayed = client.authorizationCodeGrant(config, app.result.callbackUrl!, {
      pkceCodeVerifier: "x".repeat(43),
      expectedState: app.result.callbackUrl!.searchParams.get("state")!,
    });
    expect(await oauthError(replayed)).toBe("invalid_grant");
    expect((await callAuditLog(config, baseURL!, first.access_token)).status).toBe(401);

    // The consent is remembered: a second authorization within the granted scopes goes straight back.
    await page.goto(`http://localhost:${app.port}/login`);
    await expect(page.getByRole("heading", { name: "Signed in to the client app" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Allow" })).toHaveCount(0);
    const second = app.result.tokens!;
    expect(second.access_token).not.toBe(first.access_token);
    expect((await callAuditLog(config, baseURL!, second.access_token)).status).toBe(200);

    await page.goto("/profile");
    const row = page.getByTestId("consent-Partner portal");
    await expect(row).toContainText("audit.log:read");
    await row.getByRole("button", { name: "Revoke access" }).click();
    await row.getByRole("button", { name: "Revoke Partner portal" }).click();
    await expect(page.getByTestId("consent-Partner portal")).toHaveCount(0);
    expect((await callAuditLog(config, baseURL!, second.access_token)).status).toBe(401);
    expect(await oauthError(client.refreshTokenGrant(config, second.refresh_token!))).toBe("invalid_grant");

    // Denying sends access_denied back with the state, which openid-client checks.
    await page.goto(`http://localhost:${app.port}/login`);
    await page.getByRole("button", { name: "Deny" }).click();
    await expect(page.getByRole("heading", { name: /Client app error: access_denied/ })).toBeVisible();
  } finally {
    await app.close();
  }
});

test("the API documentation page renders the OpenAPI document", async ({ page, baseURL }) => {
  const doc = (await (await fetch(new URL("/api/v1/openapi.json", baseURL))).json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toContain("/api/v1/audit-log");
  const metadata = (await (await fetch(new URL("/.well-known/oauth-authorization-server", baseURL))).json()) as Record<string, unknown>;
  expect(metadata).toMatchObject({ issuer: baseURL, grant_types_supported: ["client_credentials", "authorization_code", "refresh_token"] });

  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { name: "GET /api/v1/audit-log" })).toBeVisible();
  await expect(page.getByText("Pages start at 1.").or(page.getByText("Page number, from 1."))).toBeVisible();

  // Try it: the browser calls the API as the signed-in admin with a token of the system-configured docs client.
  const card = page.locator("section", { has: page.getByRole("heading", { name: "GET /api/v1/audit-log" }) });
  await card.getByRole("button", { name: "Try it" }).click();
  await card.getByLabel(/^page \(query/).fill("1");
  await card.getByRole("button", { name: "Send GET" }).click();
  await expect(card.getByTestId("try-it-answer")).toContainText("Status 200");
  await expect(card.getByTestId("try-it-answer")).toContainText('"events"');

  // A personal access token: created in Profile, shown once, works as the admin, listed as system-configured, revoked at once.
  await page.goto("/profile");
  const form = page.getByRole("form", { name: "New personal access token" });
  await form.getByLabel("Token name").fill("e2e PAT");
  await form.getByLabel("Expires in (days)").fill("7");
  await form.getByRole("checkbox", { name: "audit.log:read" }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("Personal access token", { exact: true }).inputValue();
  const audit = () => fetch(new URL("/api/v1/audit-log", baseURL), { headers: { authorization: `Bearer ${token}` } });
  expect((await audit()).status).toBe(200);
  await page.goto("/team/applications");
  const row = page.getByRole("region", { name: "System-configured" }).getByTestId("application-e2e PAT");
  await expect(row).toContainText("Personal access token of");
  await expect(row.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
  await page.goto("/profile");
  await page.getByTestId("personal-token-e2e PAT").getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Revoke e2e PAT" }).click();
  await expect(page.getByTestId("personal-token-e2e PAT")).toHaveCount(0);
  expect((await audit()).status).toBe(401);
});
