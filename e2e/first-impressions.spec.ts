import { execFileSync } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { openNewConnection } from "./support/connections-page";
import { chooseConnection } from "./support/connection-picker";

// Issue 12, "truth and first impressions": what a new team meets first works as shown.
test.describe.configure({ mode: "serial" });
test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL as string;

/**
 * Switches the page's context to a new team: what these tests save and send stays out of the admin's first
 * team, whose empty history and lists the later specs (requests, flows) start from.
 */
async function inTeamOfItsOwn(page: Page, name: string) {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(name);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
}

/** Creates an application through the form and returns the "Application created" dialog's curl command. */
async function createApplication(page: Page, name: string, method?: "Client secret post") {
  await page.goto("/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const form = page.getByRole("dialog", { name: "New OAuth client" });
  await form.getByLabel("Name").fill(name);
  // The form's default method is left alone unless asked: the default must work as shown.
  if (method) await form.getByLabel("Authentication method").selectOption({ label: method });
  await form.getByRole("checkbox", { name: "connections:read" }).check();
  await form.getByRole("button", { name: "Create" }).click();
  const created = page.getByRole("dialog", { name: "Application created" });
  await expect(created.getByText("It will not be shown again")).toBeVisible();
  const clientId = await created.getByLabel("Client ID").inputValue();
  const clientSecret = await created.getByLabel("Client secret").inputValue();
  const curl = (await created.getByTestId("token-request-curl").textContent()) ?? "";
  await expect(created.getByRole("button", { name: "Copy curl command" })).toBeVisible();
  return { created, clientId, clientSecret, curl };
}

/** Runs the command exactly as shown, in a POSIX shell, as a reader who pasted it would. */
function runShown(curl: string): { access_token?: string; error?: string } {
  expect(curl.startsWith("curl ")).toBe(true);
  const output = execFileSync("sh", ["-c", curl.replace(/^curl /, "curl --silent --show-error ")], { encoding: "utf8", timeout: 30_000 });
  return JSON.parse(output) as { access_token?: string };
}

test("Application created shows the curl for client_secret_basic (the default), and it works as shown", async ({ page }) => {
  const { created, clientId, clientSecret, curl } = await createApplication(page, "First curl basic");
  await expect(created).toContainText("client_secret_basic");
  expect(curl).toContain(`--user ${clientId}:${clientSecret}`);
  expect(curl).not.toContain("client_secret=");
  const answer = runShown(curl);
  expect(answer.access_token).toMatch(/^pbat_/);
});

test("Application created shows the curl for client_secret_post, and it works as shown", async ({ page }) => {
  const { created, clientId, clientSecret, curl } = await createApplication(page, "First curl post", "Client secret post");
  await expect(created).toContainText("client_secret_post");
  expect(curl).toContain(`client_id=${clientId}`);
  expect(curl).toContain(`client_secret=${clientSecret}`);
  expect(curl).not.toContain("--user");
  expect(runShown(curl).access_token).toMatch(/^pbat_/);
});

test("invalid_client says which method the client is registered for", async ({ page, request }) => {
  const { clientId, clientSecret } = await createApplication(page, "First wrong method");
  // The README's form-field request against a client registered for Basic (the form's default).
  const viaForm = await request.post("/oauth2/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  });
  expect(viaForm.status()).toBe(401);
  const body = (await viaForm.json()) as { error: string; error_description: string };
  expect(body.error).toBe("invalid_client");
  expect(body.error_description).toContain("registered for client_secret_basic");
  expect(body.error_description).toContain("this request used client_secret_post");

  const post = await createApplication(page, "First wrong method post", "Client secret post");
  const viaBasic = await request.post("/oauth2/token", {
    form: { grant_type: "client_credentials" },
    headers: { authorization: `Basic ${Buffer.from(`${post.clientId}:${post.clientSecret}`).toString("base64")}` },
  });
  expect(viaBasic.status()).toBe(401);
  expect(viaBasic.headers()["www-authenticate"]).toMatch(/^Basic realm=/);
  expect(((await viaBasic.json()) as { error_description: string }).error_description).toContain("registered for client_secret_post");
});

test("a new API key connection defaults to the Basic scheme and sends it", async ({ page }) => {
  await inTeamOfItsOwn(page, "First impressions: API key");
  await openNewConnection(page, /^API key/);
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("Authentication Scheme")).toHaveValue("Basic");
  await dialog.getByLabel("Connection name").fill("First key");
  await dialog.getByLabel("API Key", { exact: true }).fill("Zmlyc3Qta2V5LXNlY3JldA==");
  await dialog.getByLabel("Allowed domains").fill("127.0.0.1");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await page.goto("/requests");
  await chooseConnection(page, "First key (api_key)");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/headers`);
  await page.getByRole("button", { name: "Send" }).click();
  const body = page.getByTestId("response").getByLabel("Response body");
  await expect(page.getByTestId("response").getByLabel("Status")).toHaveText("200 OK");
  // The key itself is masked in what the browser sees; the scheme in front of it is what was sent.
  await expect(body).toContainText('"Authorization": "Basic ••••••"');
});

test("a request sends no Accept header unless the user adds one; retry delay defaults to 0 ms", async ({ page }) => {
  await inTeamOfItsOwn(page, "First impressions: headers");
  await page.goto("/requests");
  await page.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await expect(page.getByLabel("Retry delay (ms)")).toHaveValue("0");
  await expect(page.getByText("No Accept header is sent unless you add one under Headers.")).toBeVisible();
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/headers`);
  await page.getByRole("button", { name: "Send" }).click();
  const body = page.getByTestId("response").getByLabel("Response body");
  await expect(body).toContainText('"User-Agent": "Plugboard"');
  await expect(body).not.toContainText('"Accept"');

  await page.getByRole("button", { name: "Add headers row" }).click();
  await page.getByLabel("Headers name 1").fill("Accept");
  await page.getByLabel("Headers value 1").fill("application/vnd.first+json");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(body).toContainText('"Accept": "application/vnd.first+json"');
});

test("scope separator Plus puts a literal + between scopes in the authorization request", async ({ page }) => {
  await inTeamOfItsOwn(page, "First impressions: scopes");
  await openNewConnection(page, /^OAuth 2.0 Authorization Code/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill("First plus");
  // httpbin stands in for the provider: it echoes the authorization request's query as it decoded it.
  await dialog.getByLabel("Authorize URL").fill(`${httpbin()}/anything/authorize`);
  await dialog.getByLabel("Token URL").fill(`${httpbin()}/anything/token`);
  await dialog.getByLabel("Scopes").fill("read write");
  await dialog.getByLabel("Scope separator").selectOption("plus");
  await expect(dialog.getByText("Plus puts a literal + between scopes")).toBeVisible();
  await dialog.getByLabel("Client ID").fill("first-plus-client");
  await dialog.getByLabel("Client Secret").fill("first-plus-secret");
  await dialog.getByRole("button", { name: "Save and authorize" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${httpbin()}/anything/authorize`));
  expect(page.url()).toContain("scope=read%2Bwrite");
  const echoed = JSON.parse((await page.locator("body").textContent()) ?? "{}") as { args: Record<string, string> };
  expect(echoed.args.scope).toBe("read+write");
});

async function joinAsMember(browser: Browser, member: { name: string; email: string; password: string }) {
  const admin = await browser.newPage({ storageState: ADMIN_STATE });
  await admin.goto("/team");
  await admin.getByRole("button", { name: "Create invitation link" }).click();
  const link = await admin.getByLabel("Invitation link").inputValue();
  await admin.close();
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const guest = await context.newPage();
  await guest.goto(new URL(link).pathname);
  await guest.getByLabel("Name", { exact: true }).fill(member.name);
  await guest.getByLabel("Email").fill(member.email);
  await guest.getByLabel("Password").fill(member.password);
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(/\/connections$/);
  return guest;
}

test("a member opening an admin page is told it is for admins, and who they are", async ({ browser }) => {
  const member = { name: "Fiona First", email: "fiona.first@example.test", password: "fiona-password-123" };
  const page = await joinAsMember(browser, member);
  for (const [path, title] of [
    ["/team/applications", "Applications"],
    ["/team/audit", "Audit log"],
  ] as const) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "This page is for team admins" })).toBeVisible();
    const who = page.getByRole("definition");
    await expect(who.nth(0)).toHaveText(`${member.name} (${member.email})`);
    await expect(who.nth(1)).toHaveText("member");
    await expect(who.nth(2)).toHaveText(ADMIN.team);
    await expect(page.getByText(`${ADMIN.name} <${ADMIN.email}>`)).toBeVisible();
    // Nothing of the page itself: no table, no create button.
    await expect(page.getByRole("table")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Add new application" })).toHaveCount(0);
  }
  // Another team's record is still a plain 404.
  expect((await page.goto("/flows/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
  await page.context().close();
});
