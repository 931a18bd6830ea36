import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { connectionRow, openNewConnection } from "./support/connections-page";
import { consentAtProvider } from "./support/oauth-consent";
import { TEST_CLIENTS } from "./support/oauth-test-config";

test.describe.configure({ mode: "serial", timeout: 180_000 });
// Server renders and redirects on a loaded 2-core machine take longer than the default 10 s.
const expect = baseExpect.configure({ timeout: 30_000 });

const issuer = () => process.env.OAUTH_E2E_ISSUER as string;

// One page for the file, in a team of its own: the other specs expect their team's lists empty.
let page: Page;
// A Test URL whose answer the test switches: Verify fails while it is down, passes once it is back.
let service: Server;
let serviceUp = true;
let serviceUrl: string;

test.beforeAll(async ({ browser }) => {
  service = createServer((_req, res) => {
    res.writeHead(serviceUp ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify(serviceUp ? { ok: true } : { error: "down for maintenance" }));
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/health`;
  page = await browser.newPage({ storageState: ADMIN_STATE });
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Connection page");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});
test.afterAll(async () => {
  await page.close();
  await new Promise((resolve) => service.close(resolve));
});

const strip = () => page.getByTestId("health-strip");

/** Clicks Verify on the connection page and waits for its answer and the refreshed strip's newest segment. */
async function verifyHere(expected: RegExp, tone: "ok" | "failed") {
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.getByRole("status")).toContainText(expected);
  await expect(strip().getByRole("listitem").last()).toHaveAttribute("data-tone", tone);
}

test("the connection page verifies, edits and deletes as the list does, and shows each check in the health strip", async () => {
  await openNewConnection(page, /^API key/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill("Health API");
  await dialog.getByLabel("API Key", { exact: true }).fill("e2e-health-key");
  await dialog.getByLabel("Test URL").fill(serviceUrl);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await connectionRow(page, "Health API").getByRole("link", { name: "Health API" }).click();
  await expect(page.getByRole("heading", { name: "Health API" })).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText(/^(Saved, not checked|Verified)$/);
  await expect(strip().locator('[data-tone="failed"]')).toHaveCount(0);

  serviceUp = false;
  await verifyHere(/HTTP 503/, "failed");
  await expect(page.getByTestId("connection-status")).toHaveText("Failed");
  const failed = strip().getByRole("listitem").last();
  await expect(failed).toHaveAttribute("title", /^Failed, \d{4}-\d\d-\d\d \d\d:\d\d UTC: Verify failed\. .*HTTP 503/);
  // Each segment is reachable by keyboard and reads its sentence.
  await failed.focus();
  await expect(failed).toBeFocused();
  await expect(failed).toContainText("Verify failed");

  serviceUp = true;
  await verifyHere(/HTTP 200/, "ok");
  await expect(page.getByTestId("connection-status")).toHaveText("Verified");
  await expect(strip().getByRole("listitem").nth(-2)).toHaveAttribute("data-tone", "failed");
  await expect(strip().getByRole("listitem").last()).toHaveAttribute("title", /^OK, .* UTC: Verify passed\. .*HTTP 200/);
  await page.getByText(/^Recent checks/).click();
  const checks = page.getByRole("table", { name: "Recent checks" });
  await expect(checks.getByRole("row").nth(1)).toContainText("Passed");
  await expect(checks.getByRole("row").nth(2)).toContainText("Failed");
  // An API key holds no token: no countdown.
  await expect(page.getByTestId("token-countdown")).toHaveCount(0);

  // Edit opens the same dialog as the list's; the page shows the saved change.
  await page.getByRole("button", { name: "Edit" }).click();
  await expect(dialog.getByLabel("Connection name")).toHaveValue("Health API");
  await dialog.getByLabel("Connection name").fill("Health API v2");
  await dialog.getByLabel("API Key", { exact: true }).fill("e2e-health-key-2");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Health API v2" })).toBeVisible();

  // Delete asks again, then goes back to the list, where the connection is gone.
  const url = page.url();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("button", { name: "Delete Health API v2?" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(connectionRow(page, "Health API v2")).toHaveCount(0);
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Health API v2" })).toHaveCount(0);
});

test("an authorization-code connection's page counts down to its token's expiry and records Reauthorize in the timeline", async () => {
  const client = TEST_CLIENTS.authCodeBasic;
  await openNewConnection(page, /^OAuth 2.0 Authorization Code/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill("Consented API");
  await dialog.getByLabel("Authorize URL").fill(`${issuer()}/auth`);
  await dialog.getByLabel("Token URL").fill(`${issuer()}/token`);
  await dialog.getByLabel("Scopes").fill("openid offline_access read:things");
  await dialog.getByLabel("Client ID").fill(client.clientId);
  await dialog.getByLabel("Client Secret").fill(client.clientSecret);
  const consent = consentAtProvider(page, issuer());
  await dialog.getByRole("button", { name: "Save and authorize" }).click();
  await consent;
  await connectionRow(page, "Consented API").getByRole("link", { name: "Consented API" }).click();
  await expect(page.getByRole("heading", { name: "Consented API" })).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Verified");
  await expect(page.getByTestId("token-countdown")).toHaveText(/^expires in \d+ (s|min|h)/);
  const href = page.url();

  // A Reauthorize started on the connection's page comes back to it, saying how it went.
  const reconsent = consentAtProvider(page, issuer(), { back: new URL(href).pathname });
  await page.getByRole("button", { name: "Reauthorize" }).click();
  await reconsent;
  await expect(page.getByText(`"Consented API" was reauthorized.`)).toBeVisible();
  await expect(page).toHaveURL(href);
  await page.reload();
  const timeline = page.getByRole("table", { name: "Token timeline" });
  await expect(timeline.getByRole("row").nth(1)).toContainText("Reauthorized");
  await expect(timeline.getByRole("row").nth(2)).toContainText("Issued");
  await expect(strip().getByRole("listitem").last()).toHaveAttribute("title", /Reauthorized/);
});
