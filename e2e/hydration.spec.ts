import { expect, test, type Page } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { connectionRow, openNewConnection } from "./support/connections-page";

/**
 * Typing in the first moments after navigation lands in the form as typed: the server's HTML holds the
 * fields disabled until hydration (Playwright's fill and click wait for them to be enabled, as a person's
 * typing is refused), so react-hook-form never overwrites or merges typed text with the saved value.
 */

test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL!;

/** The page's HTML as the server sent it, before any script ran. */
async function serverHtml(page: Page, path: string): Promise<string> {
  const response = await page.request.get(path);
  expect(response.ok()).toBe(true);
  return response.text();
}

/** Every form field of the named form in the server's HTML sits inside a disabled, aria-busy fieldset. */
function expectFieldsWaitInServerHtml(html: string, formLabel: string | null) {
  const form = formLabel ? new RegExp(`<form[^>]*aria-label="${formLabel}"[^>]*>\\s*<fieldset([^>]*)>`) : /<form[^>]*>\s*<fieldset([^>]*)>/;
  const attributes = form.exec(html)?.[1] ?? "";
  expect(attributes).toMatch(/\bdisabled=""/);
  expect(attributes).toMatch(/aria-busy="true"/);
}

async function createFlow(page: Page, name: string, url: string): Promise<string> {
  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill(name);
  await page.getByTestId("step-0").getByLabel("URL", { exact: true }).fill(url);
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

test("the flow editor takes typing right after navigation as typed, with fill and with the keyboard", async ({ page }) => {
  const saved = `${httpbin()}/status/503`;
  const flowPath = await createFlow(page, "Typed at once", saved);
  expectFieldsWaitInServerHtml(await serverHtml(page, flowPath), "Flow");

  // fill the moment the document starts arriving: it waits for the field to be enabled, then replaces.
  const typed = `${httpbin()}/anything/users/{{input.userId}}`;
  await page.goto(flowPath, { waitUntil: "commit" });
  await page.getByTestId("step-0").getByLabel("URL", { exact: true }).fill(typed);
  await page.getByRole("button", { name: "Save flow" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("step-0").getByLabel("URL", { exact: true })).toHaveValue(typed);

  // Key by key, as a person types: select what is there and type over it, straight after navigation.
  const keyed = `${httpbin()}/anything/keyed/{{input.userId}}`;
  await page.goto(flowPath, { waitUntil: "commit" });
  const url = page.getByTestId("step-0").getByLabel("URL", { exact: true });
  await url.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(keyed);
  await page.getByLabel("Flow name").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Typed by keys");
  await page.getByRole("button", { name: "Save flow" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("step-0").getByLabel("URL", { exact: true })).toHaveValue(keyed);
  await expect(page.getByLabel("Flow name")).toHaveValue("Typed by keys");
});

test("the connection edit dialog keeps what is typed the moment it opens", async ({ page }) => {
  await openNewConnection(page, /^API key/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill("Typed header");
  await dialog.getByLabel("API Key", { exact: true }).fill("hydration-key-1");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await page.goto("/connections", { waitUntil: "commit" });
  // A click before hydration opens nothing (the button has no handler yet): click until the dialog opens. A
  // click that opened it after the wait is not repeated (the page behind an open dialog is inert).
  await expect(async () => {
    if (!(await dialog.isVisible())) await connectionRow(page, "Typed header").getByRole("button", { name: "Edit" }).click({ timeout: 1_000 });
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  // The saved values load after the dialog opens; typing goes in once they are there, and stays.
  const header = dialog.getByLabel("Header Key");
  await header.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("X-Typed-Key");
  await dialog.getByLabel("API Key", { exact: true }).fill("hydration-key-2");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await page.reload();
  await connectionRow(page, "Typed header").getByRole("button", { name: "Edit" }).click();
  await expect(dialog.getByLabel("Header Key")).toHaveValue("X-Typed-Key");
});

test("sign-in ships no script: typing at once, the keyboard and JavaScript turned off all sign in", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, javaScriptEnabled: false });
  const page = await context.newPage();
  expect(await serverHtml(page, "/sign-in")).not.toContain("<script");
  await page.goto("/sign-in", { waitUntil: "commit" });
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByLabel("Password").press("Enter");
  await expect(page).toHaveURL(/\/connections$/);
  await context.close();
});

test("Import from cURL refuses what is not a curl command and leaves the form as it was", async ({ page }) => {
  await page.goto("/requests");
  const url = page.getByLabel("URL", { exact: true });
  await page.getByLabel("Method").selectOption("PUT");
  await url.fill(`${httpbin()}/anything/kept`);
  await page.getByRole("button", { name: "Import from cURL" }).click();
  const command = page.getByLabel("cURL command", { exact: true });

  await command.fill("https://api.example.test/users/1");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not imported" })).toHaveText(
    'Not imported: this is not a cURL command: it starts with "https://api.example.test/users/1", not with curl. The form is unchanged.',
  );
  await expect(url).toHaveValue(`${httpbin()}/anything/kept`);
  await expect(page.getByLabel("Method")).toHaveValue("PUT");

  await command.fill("wget -O - https://api.example.test");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not imported" })).toContainText('it starts with "wget"');
  await expect(url).toHaveValue(`${httpbin()}/anything/kept`);

  // A curl command is taken, and replaces the form.
  await command.fill("curl -X POST https://api.example.test/items -d 'a=1'");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(url).toHaveValue("https://api.example.test/items");
  await expect(page.getByLabel("Method")).toHaveValue("POST");
});

test("Include full response previews the result a run passes on, in the builder and in a flow step", async ({ page }) => {
  await page.goto("/requests");
  await page.getByText("Options: response, timeout, retries, redirects, TLS").click();
  const preview = page.getByTestId("output-preview");
  const output = preview.getByTestId("output-preview-value");
  await expect(preview).toContainText("For a 200 OK JSON response, a run passes on the body only:");
  await expect(output).toHaveText(JSON.stringify({ id: 42, name: "Ada" }, null, 2));

  await page.getByLabel("Include full response").check();
  await expect(preview).toContainText("For a 200 OK JSON response, a run passes on the whole response:");
  await expect(output).toHaveText(
    JSON.stringify({ status: 200, statusText: "OK", headers: { "content-type": "application/json" }, body: { id: 42, name: "Ada" } }, null, 2),
  );
  await page.getByLabel("Include full response").uncheck();
  await expect(output).toHaveText(JSON.stringify({ id: 42, name: "Ada" }, null, 2));

  await page.goto("/flows/new");
  const step = page.getByTestId("step-0");
  await step.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await step.getByLabel("Include full response").check();
  await expect(step.getByTestId("output-preview")).toContainText("For a 200 OK JSON response, a run passes on the whole response:");
  await expect(step.getByTestId("output-preview")).toContainText("In a flow step it changes nothing: later steps read {{steps.step1.body}}");
});
