import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { Agent, fetch } from "undici";
import { ADMIN_STATE } from "./support/accounts";

// Remembered consent and prompt, and JWT access tokens, in a team of its own (made here) so other specs see the admin's first
// team as they left it.
test.describe.configure({ mode: "serial" });
test.use({ storageState: ADMIN_STATE });

let teamId = "";
let callback: { server: Server; uri: string };

test.beforeAll(async () => {
  // The client's redirect URI: a page that only says it was reached; the test reads the query from the URL.
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<h1>Back at the client</h1>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  callback = { server, uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback` };
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => callback.server.close(() => resolve()));
});

test.beforeEach(async ({ page, baseURL }) => {
  if (teamId) await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
});

async function createTeam(page: Page, name: string) {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(name);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);
}

async function createApp(page: Page, name: string, options: { grant?: "client_credentials" | "authorization_code"; jwt?: boolean } = {}) {
  await page.goto("/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const dialog = page.getByRole("dialog", { name: "New OAuth client" });
  await dialog.getByLabel("Name").fill(name);
  if (options.grant === "client_credentials") {
    await dialog.getByLabel("Acts as").selectOption("admin");
  } else {
    await dialog.getByLabel("Grant type").selectOption({ label: "Authorization code" });
    await dialog.getByLabel("Redirect URIs").fill(callback.uri);
  }
  await dialog.getByLabel("Authentication method").selectOption({ label: "Client secret basic" });
  await dialog.getByRole("checkbox", { name: "audit.log:read" }).check();
  if (options.jwt) await dialog.getByLabel("Access token format").selectOption({ label: "JWT (RFC 9068)" });
  await dialog.getByRole("button", { name: "Create" }).click();
  const secret = page.getByRole("dialog", { name: "Application created" });
  await expect(secret.getByText("It will not be shown again")).toBeVisible();
  const credentials = {
    clientId: await secret.getByLabel("Client ID").inputValue(),
    clientSecret: await secret.getByLabel("Client secret").inputValue(),
  };
  await secret.getByRole("button", { name: "Done" }).click();
  return credentials;
}

function authorizeUrl(clientId: string, extra: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: callback.uri,
    scope: "audit.log:read",
    state: randomBytes(8).toString("hex"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...extra,
  });
  return { url: `/oauth2/authorize?${query}`, verifier };
}

/** Where the browser ended up, once back at the client. */
async function backAtClient(page: Page) {
  await expect(page.getByRole("heading", { name: "Back at the client" })).toBeVisible();
  return new URL(page.url()).searchParams;
}

test("remembered consent: asked once, then not; prompt=consent asks; revoked in Profile it asks again; prompt=none errors", async ({ page }) => {
  await createTeam(page, "Consent team");
  const { clientId } = await createApp(page, "Consent memory app");

  // prompt=none before any consent: consent_required, without a page.
  await page.goto(authorizeUrl(clientId, { prompt: "none" }).url);
  expect((await backAtClient(page)).get("error")).toBe("consent_required");

  // First time: the screen.
  await page.goto(authorizeUrl(clientId).url);
  await expect(page.getByRole("heading", { name: "Authorize Consent memory app" })).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();
  expect((await backAtClient(page)).get("code")).toMatch(/^pbcode_/);

  // Second time: straight back with a code, and prompt=none too.
  await page.goto(authorizeUrl(clientId).url);
  expect((await backAtClient(page)).get("code")).toMatch(/^pbcode_/);
  await page.goto(authorizeUrl(clientId, { prompt: "none" }).url);
  expect((await backAtClient(page)).get("code")).toMatch(/^pbcode_/);

  // prompt=consent: the screen again.
  await page.goto(authorizeUrl(clientId, { prompt: "consent" }).url);
  await expect(page.getByRole("heading", { name: "Authorize Consent memory app" })).toBeVisible();

  // Revoked in Profile: forgotten.
  await page.goto("/profile");
  const row = page.getByTestId("consent-Consent memory app");
  await expect(row).toContainText("Remembered: not asked again for audit.log:read");
  await row.getByRole("button", { name: "Revoke access" }).click();
  await row.getByRole("button", { name: "Revoke Consent memory app" }).click();
  await expect(page.getByTestId("consent-Consent memory app")).toHaveCount(0);
  await page.goto(authorizeUrl(clientId).url);
  await expect(page.getByRole("heading", { name: "Authorize Consent memory app" })).toBeVisible();
  await page.goto(authorizeUrl(clientId, { prompt: "none" }).url);
  expect((await backAtClient(page)).get("error")).toBe("consent_required");
});

test("prompt=none without a session answers login_required", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, baseURL });
  const page = await context.newPage();
  const signedIn = await browser.newContext({ storageState: ADMIN_STATE, baseURL });
  const adminPage = await signedIn.newPage();
  await signedIn.addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
  const { clientId } = await createApp(adminPage, "Signed out app");
  await page.goto(authorizeUrl(clientId, { prompt: "none" }).url);
  expect((await backAtClient(page)).get("error")).toBe("login_required");
  await page.goto(authorizeUrl(clientId).url);
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
  await signedIn.close();
});

test("JWT access tokens: verified offline against /oauth2/jwks, refused by the API once revoked, and after keys:rotate", async ({
  page,
  baseURL,
}) => {
  test.skip(!process.env.E2E_DATABASE_URL, "keys:rotate runs against the Postgres server (E2E_DATABASE_URL)");
  if (!teamId) await createTeam(page, "JWT team");
  const { clientId, clientSecret } = await createApp(page, "JWT reporting bot", { grant: "client_credentials", jwt: true });
  await expect(page.getByTestId("application-JWT reporting bot")).toContainText("JWT access tokens");

  const metadata = (await (await fetch(new URL("/.well-known/oauth-authorization-server", baseURL!))).json()) as { jwks_uri: string; issuer: string };
  expect(metadata.jwks_uri).toBe(`${baseURL}/oauth2/jwks`);
  // A connection per request: keys:rotate takes longer than the server keeps an idle socket, and a POST on a
  // socket the server is closing fails rather than being retried.
  const dispatcher = new Agent({ pipelining: 0 });
  const basicAuth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
  const post = (path: string, params: Record<string, string>) =>
    fetch(new URL(path, baseURL), { method: "POST", headers: { authorization: basicAuth }, body: new URLSearchParams(params), dispatcher });
  const newToken = async () =>
    ((await (await post("/oauth2/token", { grant_type: "client_credentials" })).json()) as { access_token: string }).access_token;
  const callApi = (token: string) => fetch(new URL("/api/v1/audit-log", baseURL), { headers: { authorization: `Bearer ${token}` }, dispatcher });
  const jwks = async () => (await (await fetch(metadata.jwks_uri, { dispatcher })).json()) as JSONWebKeySet;
  // An offline resource server: jose with the published JWK Set (fetched fresh each time here).
  const verifyOffline = async (token: string) =>
    jwtVerify(token, createLocalJWKSet(await jwks()), {
      issuer: metadata.issuer,
      audience: `${metadata.issuer}/api/v1`,
      typ: "at+jwt",
      algorithms: ["RS256"],
    });

  const first = await newToken();
  const { payload } = await verifyOffline(first);
  expect(payload).toMatchObject({ client_id: clientId, sub: clientId, scope: "audit.log:read" });
  expect((await callApi(first)).status).toBe(200);
  expect((await post("/oauth2/revoke", { token: first })).status).toBe(200);
  expect((await callApi(first)).status).toBe(401);
  // The README's caveat: an offline verifier sees the revocation only at expiry.
  await expect(verifyOffline(first)).resolves.toBeTruthy();

  const before = await newToken();
  const rotated = spawnSync("npm", ["run", "keys:rotate"], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: "e2e-auth-secret-that-is-long-enough-0123456789",
      PLUGBOARD_ENCRYPTION_KEY: "e2e:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    },
    encoding: "utf8",
  });
  expect(rotated.status, rotated.stderr).toBe(0);
  expect(rotated.stdout).toContain("new JWT signing key");
  const after = await newToken();
  expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
  await expect(verifyOffline(after)).resolves.toBeTruthy();
  await expect(verifyOffline(before)).resolves.toBeTruthy();
  const published = (await jwks()).keys;
  expect(published.map((k) => k.kid)).toEqual(expect.arrayContaining([decodeProtectedHeader(before).kid, decodeProtectedHeader(after).kid]));
  expect(published.every((k) => !("d" in k))).toBe(true);
  expect((await callApi(after)).status).toBe(200);
});
