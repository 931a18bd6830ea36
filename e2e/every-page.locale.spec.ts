import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

// Runs in the "locale" project: a browser in America/Los_Angeles with a German locale, while the server
// renders in its own zone and locale. Any date (or other browser-dependent value) formatted differently
// on the two sides is a hydration error (React #418) in the console: every page must load without one.

const httpbin = () => process.env.HTTPBIN_URL!;

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()} console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()} pageerror: ${error.message}`));
  return errors;
}

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
}

/** Links on a page whose path matches, de-duplicated, a few at most. */
async function linksMatching(page: Page, pattern: RegExp, limit = 2): Promise<string[]> {
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(hrefs.filter((h) => pattern.test(h)))].slice(0, limit);
}

test("every page hydrates without an error in a non-UTC time zone and a German locale", async ({ browser }) => {
  test.setTimeout(240_000); // about twenty page loads, each waited on until the network is idle
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  const page = await context.newPage();
  const errors = collectErrors(page);
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe("America/Los_Angeles");

  // Dated rows to render: a history entry, a pending invitation, an application (the app project left more).
  await visit(page, "/requests");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/get`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("history-row").first()).toBeVisible();
  await visit(page, "/team");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const invitation = new URL(await page.getByLabel("Invitation link").inputValue()).pathname;
  await visit(page, "/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const dialog = page.getByRole("dialog", { name: "New OAuth client" });
  await dialog.getByLabel("Name").fill(`Locale check ${Date.now()}`);
  await dialog.getByRole("checkbox", { name: "connections:read" }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await page.getByRole("dialog", { name: "Application created" }).getByRole("button", { name: "Done" }).click();

  const pages = [
    "/connections",
    "/requests",
    "/flows",
    "/flows/new",
    "/team",
    "/team/audit",
    "/team/applications",
    "/profile",
    "/api-docs",
    "/teams/new",
  ];
  for (const path of pages) await visit(page, path);
  await visit(page, "/connections");
  const connectionPages = await linksMatching(page, /^\/connections\/[0-9a-f-]{36}$/);
  await visit(page, "/flows");
  const flowPages = await linksMatching(page, /^\/flows\/[0-9a-f-]{36}$/);
  const runLists: string[] = [];
  const runPages: string[] = [];
  for (const flow of flowPages) {
    await visit(page, flow);
    runLists.push(...(await linksMatching(page, /^\/flows\/[0-9a-f-]{36}\/runs$/, 1)));
    runPages.push(...(await linksMatching(page, /^\/flows\/runs\/[0-9a-f-]{36}$/, 1)));
  }
  for (const path of [...connectionPages, ...runLists, ...runPages, invitation]) await visit(page, path);

  // Pages seen signed out.
  const guest = await browser.newPage();
  const guestErrors = collectErrors(guest);
  for (const path of ["/sign-in", invitation]) await visit(guest, path);

  expect([...errors, ...guestErrors]).toEqual([]);
  await context.close();
  await guest.close();
});
