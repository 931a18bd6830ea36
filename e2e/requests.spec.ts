import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { chooseConnection } from "./support/connection-picker";

test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL!;

test("build a request, send it on the server and read the JSON response", async ({ page }) => {
  await page.goto("/requests");
  await expect(page.getByText("No requests yet")).toBeVisible();
  await expect(page.getByText("No saved requests")).toBeVisible();

  await page.getByLabel("Method").selectOption("POST");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/anything/items`);
  await page.getByRole("button", { name: "Add headers row" }).click();
  await page.getByLabel("Headers name 1").fill("X-Plugboard-Test");
  await page.getByLabel("Headers value 1").fill("hello-from-e2e");
  await page.getByRole("button", { name: "Add query string row" }).click();
  await page.getByLabel("Query String name 1").fill("page");
  await page.getByLabel("Query String value 1").fill("2");
  await page.getByLabel("Body type").selectOption("raw");
  await page.getByLabel("Body", { exact: true }).fill('{"answer": 42}');
  await page.getByRole("button", { name: "Send" }).click();

  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText("200 OK");
  const body = response.getByLabel("Response body");
  await expect(body).toContainText('"X-Plugboard-Test"');
  await expect(body).toContainText('"hello-from-e2e"');
  await expect(body).toContainText('"answer"');
  await expect(body).toContainText("/anything/items?page=2");
  await expect(page.getByTestId("history-row").first()).toContainText("POST");
  await expect(page.getByTestId("history-retention")).toHaveText(
    /^Entries are kept 30 days, up to 500 MB per team .*large downloads are kept 7 days, up to 10 GB per team\.$/,
  );
  await page.screenshot({ path: "test-results/request-builder.png", fullPage: true });
});

test("import a cURL command, send with Ctrl+Enter, and run again from history", async ({ page }) => {
  await page.goto("/requests");
  await page.getByRole("button", { name: "Import from cURL" }).click();
  await page.getByLabel("cURL command").fill(`curl -X PUT '${httpbin()}/put' -H 'X-From-Curl: yes' --data-raw 'k=v'`);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByLabel("Method")).toHaveValue("PUT");
  await expect(page.getByLabel("URL", { exact: true })).toHaveValue(`${httpbin()}/put`);
  await page.getByLabel("URL", { exact: true }).press("Control+Enter");
  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText("200 OK");
  await expect(response.getByLabel("Response body")).toContainText('"X-From-Curl"');

  // The first request (POST /anything/items) is in the history: open it, it fills the form, send again.
  await page.reload();
  const postRow = page.getByTestId("history-row").filter({ hasText: "/anything/items" }).first();
  await postRow.getByRole("button", { name: "Open" }).click();
  await expect(page.getByLabel("Method")).toHaveValue("POST");
  await expect(page.getByLabel("URL", { exact: true })).toHaveValue(`${httpbin()}/anything/items`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(response.getByLabel("Response body")).toContainText('"hello-from-e2e"');
});

test("errors are said in words: the address guard and a timeout", async ({ page }) => {
  await page.goto("/requests");
  await page.getByLabel("URL", { exact: true }).fill("http://169.254.169.254/latest/meta-data");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response")).toContainText("address guard");

  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/delay/5`);
  await page.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await page.getByLabel("Timeout").fill("1");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response")).toContainText("timed out after 1");
});

test("a saved request appears in the list and opens into the form", async ({ page }) => {
  await page.goto("/requests");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/get`);
  await page.getByLabel("Request name").fill("Get from httpbin");
  await page.getByRole("button", { name: "Save request" }).click();
  await expect(page.getByText("Saved as “Get from httpbin”.")).toBeVisible();
  await page.reload();
  await page.getByRole("region", { name: "Saved requests" }).getByRole("button", { name: "Open" }).click();
  await expect(page.getByLabel("URL", { exact: true })).toHaveValue(`${httpbin()}/get`);
});

test("pagination follows the Link header until there is no next page", async ({ page }) => {
  await page.goto("/requests");
  const last = `${httpbin()}/response-headers?page=2`;
  const first = `${httpbin()}/response-headers?Link=${encodeURIComponent(`<${last}>; rel="next"`)}`;
  await page.getByLabel("URL", { exact: true }).fill(first);
  await page.locator("summary", { hasText: "Pagination" }).click();
  await page.getByLabel("Pagination", { exact: true }).selectOption("linkHeader");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("page-count")).toHaveText("2 pages (stopped: no next)");
  // One request per page is not a retry: the pages are counted, not "2 attempts".
  await expect(page.getByTestId("response")).not.toContainText("attempts");
  await expect(page.getByTestId("response").getByLabel("Response body")).toContainText('"page"');
});

test("an empty response body reads (empty body), not null", async ({ page }) => {
  await page.goto("/requests");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/status/204`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("status", { name: "Status" })).toContainText("204");
  await expect(page.getByTestId("response")).toContainText("(empty body)");
  await expect(page.getByTestId("response")).not.toContainText("null");
});

test("a request with a connection: credentials applied on the server, masked in the response and in cURL", async ({ page }) => {
  // httpbin echoes the token with lstrip("Bearer "), so the key must not start with one of those letters.
  const apiKey = "k9-requests-spec-key-7f3a9c";
  await page.goto("/connections");
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /^API key/ }).click();
  await dialog.getByLabel("Connection name").fill("Requests bearer");
  await dialog.getByLabel("API Key", { exact: true }).fill(apiKey);
  await dialog.getByLabel("Authentication Scheme").selectOption("Bearer");
  await dialog.getByLabel("Test URL").fill(`${httpbin()}/bearer`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await page.goto("/requests");
  await chooseConnection(page, "Requests bearer (api_key)");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/bearer`);
  await page.getByRole("button", { name: "Send" }).click();
  const body = page.getByTestId("response").getByLabel("Response body");
  await expect(page.getByTestId("response").getByLabel("Status")).toHaveText("200 OK");
  await expect(body).toContainText('"authenticated"');
  await expect(body).toContainText("••••••");
  await expect(body).not.toContainText(apiKey);

  await page.getByRole("button", { name: "Copy as cURL" }).click();
  const curl = page.getByLabel("cURL command to copy");
  await expect(curl).toHaveValue(/authorization: ••••••/i);
  expect(await curl.inputValue()).not.toContain(apiKey);

  // A host outside the connection's allowed domains is refused before anything is sent.
  await page.getByLabel("URL", { exact: true }).fill("https://example.com/");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response")).toContainText("not allowed");
});
