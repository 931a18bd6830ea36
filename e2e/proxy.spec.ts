import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { chooseConnection } from "./support/connection-picker";
import { connectionRow, openNewConnection } from "./support/connections-page";
import { startTinyproxy, type Tinyproxy } from "./support/tinyproxy";

test.describe.configure({ mode: "serial" });

/**
 * A connection's proxy, set in its form, carries its Verify and its requests (a real tinyproxy with Basic
 * authentication, whose log lists what it forwarded); the builder says which proxy a request went through,
 * never its credentials, and a request's "No proxy" goes direct.
 */
const PROXY_USER = "e2e-proxy-user";
const PROXY_PASSWORD = "e2e-proxy-PASSWORD-77c1";
const API_KEY = "e2e-proxy-api-key-5d2e";

let page: Page;
let proxy: Tinyproxy;
const httpbin = () => process.env.HTTPBIN_URL as string;

test.beforeAll(async ({ browser }) => {
  proxy = await startTinyproxy({ auth: { username: PROXY_USER, password: PROXY_PASSWORD } });
  page = await browser.newPage({ storageState: ADMIN_STATE });
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Proxies");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});
test.afterAll(async () => {
  await page.close();
  await proxy.stop();
});

test("a connection's proxy with credentials carries its Verify on save; the password is never shown back", async () => {
  const dialog = page.getByRole("dialog");
  await openNewConnection(page, /^API key/);
  await dialog.getByLabel("Connection name").fill("Behind the proxy");
  await dialog.getByLabel("API Key", { exact: true }).fill(API_KEY);
  await dialog.getByLabel("Authentication Scheme").selectOption("Bearer");
  await dialog.getByLabel("Test URL").fill(`${httpbin()}/bearer`);
  await dialog.locator("summary", { hasText: /^Proxy$/ }).click();
  await dialog.getByLabel("Proxy", { exact: true }).selectOption("custom");
  await dialog.getByLabel("Proxy URL").fill(proxy.url);
  await dialog.getByLabel("Proxy User Name").fill(PROXY_USER);
  await dialog.getByLabel("Proxy Password").fill(PROXY_PASSWORD);
  const before = proxy.requests().length;
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(connectionRow(page, "Behind the proxy").getByTestId("status")).toHaveText("Verified");
  // The check on save went through the proxy (tinyproxy only forwards with the right credentials).
  expect(proxy.requests().slice(before)).toContain(`GET ${httpbin()}/bearer HTTP/1.1`);

  await connectionRow(page, "Behind the proxy").getByRole("button", { name: "Edit" }).click();
  await expect(dialog.getByLabel("Proxy", { exact: true })).toHaveValue("custom");
  await expect(dialog.getByLabel("Proxy URL")).toHaveValue(proxy.url);
  await expect(dialog.getByLabel("Proxy Password")).toHaveValue("");
  await expect(dialog).not.toContainText(PROXY_PASSWORD);
  await dialog.getByRole("button", { name: "Close" }).click();
});

test("the builder sends through the connection's proxy and says so (credentials masked); No proxy goes direct", async () => {
  await page.goto("/requests");
  await chooseConnection(page, "Behind the proxy (api_key)");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/anything/via-proxy`);
  await page.getByText("Options: response, timeout, retries, redirects, TLS, proxy").click();
  await page.getByLabel("Debug request").check();
  const before = proxy.requests().length;
  await page.getByRole("button", { name: "Send" }).click();
  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText(/^200/);
  await expect(response.getByTestId("response-proxy")).toHaveText(`via proxy ${proxy.url} (with proxy credentials)`);
  await response.getByText(/^Request sent/).click();
  await expect(response.getByLabel("Debug request")).toContainText(`# via proxy ${proxy.url}`);
  await expect(response).not.toContainText(PROXY_PASSWORD);
  await expect(response).not.toContainText(PROXY_USER);
  expect(proxy.requests().slice(before)).toEqual([`GET ${httpbin()}/anything/via-proxy HTTP/1.1`]);

  await page.getByLabel("Proxy", { exact: true }).selectOption("none");
  const direct = proxy.connections();
  await page.getByRole("button", { name: "Send" }).click();
  await expect(response.getByLabel("Status")).toHaveText(/^200/);
  await expect(response.getByTestId("response-proxy")).toHaveCount(0);
  expect(proxy.connections()).toBe(direct);
});
