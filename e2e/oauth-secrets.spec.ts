import { expect, test, type Page } from "@playwright/test";
import * as client from "openid-client";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// Issue 16, the client side: secrets added beside the current one and revoked one by one, per-application
// lifetimes, and Regenerate revoking every token. In a team of its own (made here), so other specs find the
// admin's first team as they left it.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: ADMIN_STATE });

let teamId = "";
let clientId = "";
const secrets: Record<string, string> = {};
const APP = "Rotating bot";

test.beforeEach(async ({ page, baseURL }) => {
  if (teamId) await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
});

async function revealed(page: Page, title: string) {
  const dialog = page.getByRole("dialog", { name: title });
  await expect(dialog.getByText("It will not be shown again")).toBeVisible();
  return { clientId: await dialog.getByLabel("Client ID").inputValue(), clientSecret: await dialog.getByLabel("Client secret").inputValue() };
}

async function openMenu(page: Page, item: string) {
  await page.getByRole("button", { name: `Actions for ${APP}` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

function config(baseURL: string, secret: string) {
  const c = new client.Configuration(
    { issuer: baseURL, token_endpoint: `${baseURL}/oauth2/token` },
    clientId,
    undefined,
    client.ClientSecretBasic(secret),
  );
  client.allowInsecureRequests(c);
  return c;
}

/** The token endpoint's answer to openid-client: the tokens, or the RFC 6749 error code. */
async function tokenOrError(baseURL: string, secret: string): Promise<client.TokenEndpointResponse | string> {
  try {
    return await client.clientCredentialsGrant(config(baseURL, secret));
  } catch (error) {
    if (error instanceof client.WWWAuthenticateChallengeError) return ((await error.response.json()) as { error: string }).error;
    throw error;
  }
}

test("Add secret keeps the old one working until it is revoked; at most two are active", async ({ page, baseURL }) => {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Secrets team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);

  await page.goto("/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const create = page.getByRole("dialog", { name: "New OAuth client" });
  await create.getByLabel("Name").fill(APP);
  await create.getByRole("checkbox", { name: "connections:read" }).check();
  await create.getByRole("button", { name: "Create" }).click();
  const created = await revealed(page, "Application created");
  clientId = created.clientId;
  secrets.first = created.clientSecret;
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();

  await openMenu(page, "Secrets");
  const dialog = page.getByRole("dialog", { name: `Secrets of ${APP}` });
  await expect(dialog.getByTestId("client-secret")).toHaveCount(1);
  await expect(dialog.getByTestId("client-secret")).toContainText("Active");
  await dialog.getByRole("button", { name: "Add secret" }).click();
  const added = await revealed(page, `Secrets of ${APP}`);
  expect(added.clientId).toBe(clientId);
  secrets.second = added.clientSecret;
  expect(secrets.second).not.toBe(secrets.first);
  // Both work at once: the integration switches while nothing fails.
  expect(await tokenOrError(baseURL!, secrets.first)).toHaveProperty("access_token");
  expect(await tokenOrError(baseURL!, secrets.second)).toHaveProperty("access_token");

  await dialog.getByRole("button", { name: "Back to the secrets" }).click();
  const rows = dialog.getByTestId("client-secret");
  await expect(rows).toHaveCount(2);
  // A third is refused while two are active.
  await dialog.getByRole("button", { name: "Add secret" }).click();
  await expect(dialog.getByText("already has 2 active secrets")).toBeVisible();

  // Newest first: the old secret is the second row.
  await rows.nth(1).getByRole("button", { name: "Revoke" }).click();
  await expect(rows.nth(1)).toContainText("Revoked");
  await expect(rows.nth(0)).toContainText("Active");
  await expect(rows.nth(0).getByRole("button", { name: "Revoke" })).toBeVisible();
  expect(await tokenOrError(baseURL!, secrets.first)).toBe("invalid_client");
  expect(await tokenOrError(baseURL!, secrets.second)).toHaveProperty("access_token");
  // The last active secret cannot be revoked by hand.
  await rows.nth(0).getByRole("button", { name: "Revoke" }).click();
  await expect(dialog.getByText("only active secret")).toBeVisible();
});

test("per-application lifetimes show on the row and in expires_in; Regenerate can revoke every token; expiring secrets are flagged", async ({
  page,
  baseURL,
}) => {
  await page.goto("/team/applications");
  const row = page.getByTestId(`application-${APP}`);
  await expect(row.getByTestId("token-lifetimes")).toHaveText("access token 899 s");
  await openMenu(page, "Lifetimes");
  const settings = page.getByRole("dialog", { name: `Lifetimes of ${APP}` });
  await settings.getByLabel("Access token lifetime (seconds)").fill("30");
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings.getByText("At least 60 seconds.")).toBeVisible();
  await settings.getByLabel("Access token lifetime (seconds)").fill("120");
  await settings.getByLabel("Secret lifetime (days)").fill("3");
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings).toHaveCount(0);
  await expect(row.getByTestId("token-lifetimes")).toHaveText("access token 120 s");

  const tokens = await tokenOrError(baseURL!, secrets.second);
  expect(tokens).toMatchObject({ expires_in: 120 });
  const accessToken = (tokens as client.TokenEndpointResponse).access_token;
  await expect(row.getByRole("status")).toHaveCount(0);

  await openMenu(page, "Regenerate secret");
  const regenerate = page.getByRole("dialog");
  await regenerate.getByLabel("Also revoke every token issued to this application (access and refresh tokens)").check();
  await regenerate.getByRole("button", { name: "Regenerate secret" }).click();
  const renewed = await revealed(page, "New client secret");
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  expect(await tokenOrError(baseURL!, secrets.second)).toBe("invalid_client");

  // The token issued before is revoked: introspection (as the client, with its new secret) says inactive.
  const introspection = await fetch(`${baseURL}/oauth2/introspect`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${renewed.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ token: accessToken }),
  });
  expect(await introspection.json()).toEqual({ active: false });

  // The new secret has the three-day lifetime: the row warns that the application's secret expires soon.
  await page.reload();
  await expect(row.getByRole("status")).toContainText("Its secret expires in 3 days");
  await openMenu(page, "Secrets");
  const list = page.getByRole("dialog", { name: `Secrets of ${APP}` });
  await expect(list.getByText("New secrets expire after 3 days.")).toBeVisible();
  await expect(list.getByTestId("client-secret").filter({ hasText: "Revoked" })).toHaveCount(2);
});

test("cleanup: back to the admin's first team", async ({ page }) => {
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
