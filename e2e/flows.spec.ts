import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { chooseConnection } from "./support/connection-picker";

test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL!;

async function openOptions(step: Locator) {
  await step.getByText("Options: response, timeout, retries, redirects, TLS").click();
}

/** The flow page's run id from "Run now": it opens the run page. */
async function runNow(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/flows\/runs\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

test("build a three-step flow that maps JSON and uploads a binary body, run it and read each step", async ({ page }) => {
  await page.goto("/flows");
  await expect(page.getByText("No flows yet")).toBeVisible();
  await page.getByRole("link", { name: "New flow" }).click();

  await page.getByLabel("Flow name").fill("Avatar sync");
  await page.getByLabel("Input (JSON)").fill('{"kind": "image", "n": 3}');

  const first = page.getByTestId("step-0");
  await first.getByLabel("Step name").fill("describe");
  await first.getByLabel("Method").selectOption("POST");
  await first.getByLabel("URL", { exact: true }).fill(`${httpbin()}/anything`);
  await first.getByLabel("Body type").selectOption("raw");
  await first.getByLabel("Body", { exact: true }).fill('{"kind": "{{input.kind}}", "n": {{input.n}}}');

  await page.getByRole("button", { name: "Add step" }).click();
  const second = page.getByTestId("step-1");
  await second.getByLabel("Step name").fill("download");
  // A mistake first: a step that does not exist is an error at the field, before anything is saved.
  await second.getByLabel("URL", { exact: true }).fill(`${httpbin()}/{{steps.describ.body.json.kind}}/png`);
  await openOptions(second);
  await second.getByLabel("Response type").selectOption("binary");

  await page.getByRole("button", { name: "Add step" }).click();
  const third = page.getByTestId("step-2");
  await third.getByLabel("Step name").fill("upload");
  await third.getByLabel("Method").selectOption("POST");
  await third.getByLabel("URL", { exact: true }).fill(`${httpbin()}/post`);
  await third.getByLabel("Body type").selectOption("multipart");
  await third.getByRole("button", { name: "Add text field" }).click();
  await third.getByLabel("Multipart field name 1").fill("n");
  await third.getByLabel("Multipart value 1").fill("{{steps.describe.body.json.n}}");
  await third.getByRole("button", { name: "Add file field" }).click();
  await third.getByLabel("Multipart field name 2").fill("picture");
  await third.getByLabel("Multipart file name 2").fill("pic.png");
  await third.getByLabel("Multipart file from 2").fill("{{steps.download.file}}");

  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(second.getByText("there is no step named “describ”")).toBeVisible();
  await expect(page).toHaveURL(/\/flows\/new$/);
  await second.getByLabel("URL", { exact: true }).fill(`${httpbin()}/{{steps.describe.body.json.kind}}/png`);
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  const flowUrl = page.url();

  await expect(page.getByLabel("Run input (JSON)")).toHaveValue(/"kind": "image"/);
  await runNow(page);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  const describe = page.getByTestId("step-run-describe");
  await expect(describe.getByTestId("step-status")).toHaveText("HTTP 200");
  await expect(describe.getByTestId("step-response-body")).toContainText('"kind": "image"');
  const download = page.getByTestId("step-run-download");
  await expect(download.getByTestId("step-request-url")).toHaveText(`GET ${httpbin()}/image/png`);
  await expect(download.getByTestId("step-response-body")).toContainText("binary");
  await expect(download.getByTestId("step-response-body")).toContainText("image/png");
  const upload = page.getByTestId("step-run-upload");
  await expect(upload.getByTestId("step-status")).toHaveText("HTTP 200");
  await expect(upload.getByTestId("step-response-body")).toContainText('"picture": "data:image/png;base64,iVBORw0KGgo');
  await expect(upload.getByTestId("step-response-body")).toContainText('"n": "3"');
  await expect(upload).toContainText("picture = file pic.png (image/png");
  await page.screenshot({ path: "test-results/flow-run.png", fullPage: true });

  // Run it again with the same input; both runs are in the history.
  // The first run's page shows "succeeded" too: wait for the new run's page before reading its status.
  const firstRun = page.url();
  await page.getByRole("button", { name: "Run again with the same input" }).click();
  await expect(page).not.toHaveURL(firstRun);
  await expect(page).toHaveURL(/\/flows\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await page.goto(`${flowUrl}/runs`);
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  await expect(page.getByTestId("run-row").first()).toContainText("rerun");

  // The editor now offers paths from the last run.
  await page.goto(flowUrl);
  await page
    .getByTestId("step-1")
    .getByText(/Values to map: variables and the last run/)
    .click();
  await expect(page.getByTestId("step-1").getByRole("button", { name: "{{steps.describe.body.json.kind}}" })).toBeVisible();
});

test("a webhook and a per-second schedule each start runs", async ({ page, request }) => {
  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("Hooked");
  const first = page.getByTestId("step-0");
  await first.getByLabel("Step name").fill("echo");
  await first.getByLabel("URL", { exact: true }).fill(`${httpbin()}/anything?order={{input.order}}`);
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);

  await page.getByRole("button", { name: "Create webhook URL" }).click();
  const hookUrl = await page.getByTestId("webhook-url").innerText();
  expect(hookUrl).toMatch(/\/hooks\/flows\/[0-9a-f-]{36}\?token=pbwh_/);
  const refused = await request.post(hookUrl.replace(/token=.*/, "token=wrong"), { data: { order: "x" } });
  expect(refused.status()).toBe(401);
  const res = await request.post(hookUrl, { data: { order: "A-17" } });
  expect(res.status()).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  await page.goto(`/flows/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("step-run-echo").getByTestId("step-response-body")).toContainText('"order": "A-17"');

  await page.goBack();
  await page.getByLabel("Run on a schedule").check();
  await page.getByLabel("Cron expression").fill("61 * * * *");
  await expect(page.getByText("This is not a cron expression: Invalid value for minute: 61")).toBeVisible();
  await page.getByLabel("Cron expression").fill("0 9 * * 1-5");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await expect(page.getByTestId("schedule-explanation")).toContainText("At 09:00, Monday through Friday (Europe/Berlin)");
  await expect(page.getByTestId("schedule-explanation").getByRole("listitem")).toHaveCount(5);
  await page.getByLabel("Cron expression").fill("* * * * * *");
  await page.getByLabel("Time zone").fill("UTC");
  await expect(page.getByTestId("schedule-explanation")).toContainText("Every second (UTC)");
  await page.getByRole("button", { name: "Save flow" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  const runsUrl = `${page.url()}/runs`;
  await expect(async () => {
    await page.goto(runsUrl);
    await expect(page.getByTestId("run-row").filter({ hasText: "schedule" }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // Switch the schedule off again so it does not keep running for the rest of the suite.
  await page.goto(runsUrl.replace(/\/runs$/, ""));
  await page.getByLabel("Run on a schedule").uncheck();
  await page.getByRole("button", { name: "Save flow" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
});

test("an unknown flow id is a 404 page, and a missing dynamic connection is said in words", async ({ page }) => {
  const missing = await page.goto("/flows/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);

  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("Per account");
  await page.getByRole("button", { name: "Add slot" }).click();
  await page.getByLabel("Slot 1 name").fill("CRM account");
  const first = page.getByTestId("step-0");
  await first.getByLabel("URL", { exact: true }).fill(`${httpbin()}/get`);
  await chooseConnection(first, "Slot: CRM account");
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByText("This flow needs a connection for the slot “CRM account”: choose one for this run or set a default.")).toBeVisible();
  await expect(page.getByText("Choose a connection for “CRM account”.")).toBeVisible();
});

test("a connection used by a flow: the list counts it, Edit warns, Delete names the flow first", async ({ page }) => {
  await page.goto("/connections");
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /^API key/ }).click();
  await dialog.getByLabel("Connection name").fill("Flow CRM");
  await dialog.getByLabel("API Key", { exact: true }).fill("k9-flow-crm-key");
  // httpbin's /bearer takes any Bearer token: the check on save passes whatever the default scheme.
  await dialog.getByLabel("Authentication Scheme").selectOption("Bearer");
  await dialog.getByLabel("Test URL").fill(`${httpbin()}/bearer`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("CRM sync");
  const step = page.getByTestId("step-0");
  await step.getByLabel("Step name").fill("fetch");
  await chooseConnection(step, "Flow CRM (api_key)");
  await step.getByLabel("URL", { exact: true }).fill(`${httpbin()}/bearer`);
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);

  await page.goto("/connections");
  const row = page.getByTestId("connection-Flow CRM");
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(dialog.getByRole("note")).toContainText("flow “CRM sync”");
  await dialog.getByRole("button", { name: "Close" }).click();
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toContainText("Used by flow “CRM sync”");
});

test("the flows list searches by name from its own form, says when nothing matches, and clears the search", async ({ page }) => {
  await page.goto("/flows");
  const search = page.getByRole("search", { name: "Flows" });
  await search.getByLabel("Search by name").fill("avatar");
  await search.getByLabel("Search by name").press("Enter");
  await expect(page).toHaveURL(/\/flows\?q=avatar$/);
  await expect(page.getByRole("link", { name: "Avatar sync" })).toBeVisible();
  await expect(page.getByTestId("flows-range")).toHaveText("1–1 of 1");

  await search.getByLabel("Search by name").fill("no such flow");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText('No flow matches "no such flow"')).toBeVisible();
  await page.getByRole("link", { name: "Clear search" }).click();
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole("link", { name: "Avatar sync" })).toBeVisible();
});
