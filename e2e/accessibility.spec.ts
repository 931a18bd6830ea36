import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { addAxe, type AxeViolation, auditPage, COLOUR_RULES } from "./support/axe";
import { type AppPage, LONG_CONNECTION_NAME, prepareAppPages } from "./support/app-pages";
import { connectionRow } from "./support/connections-page";

// axe-core on every page and dialog, in the light and the dark theme: no violation of impact serious or
// critical (contrast, names of controls, labels, landmarks...). The data the pages need is made in a team of
// its own, so the other specs still find their team's lists empty.

test.describe.configure({ mode: "serial" });

const TEAM = "Accessibility";
const httpbin = () => process.env.HTTPBIN_URL as string;

type Violation = AxeViolation & { where: string };

const THEMES = ["light", "dark"] as const;

/**
 * Runs axe on what the page shows now in the light theme (every rule) and in the dark theme (the colour rules:
 * the markup is the same), switched as the user menu switches it (<html data-theme> at once), then back to
 * light; returns the serious and critical violations, named by theme and where they were.
 */
async function audit(page: Page, where: string): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const theme of THEMES) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    const violations = await auditPage(page, theme === "light" ? undefined : COLOUR_RULES);
    found.push(...violations.map((v) => ({ ...v, where: `${theme} ${where}` })));
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = "light";
  });
  if (found.length > 0) console.log(report(found)); // as it goes: a long run that times out still says what it found
  return found;
}

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
}

function report(violations: Violation[]): string {
  return violations.map((v) => `${v.where}: ${v.rule} (${v.impact}) at ${v.targets.join(" > ")}: ${v.help}`).join("\n");
}

/** A context in the given theme, chosen as a user would (the cookie the user menu sets). */
async function themedContext(browser: Browser, theme: "light" | "dark", signedIn = true): Promise<BrowserContext> {
  const context = await browser.newContext(signedIn ? { storageState: ADMIN_STATE } : {});
  const url = new URL(test.info().project.use.baseURL ?? "http://localhost:3100");
  await context.addCookies([{ name: "plugboard-theme", value: theme, domain: url.hostname, path: "/" }]);
  await addAxe(context);
  return context;
}

let pages: AppPage[] = [];
const pagePath = (name: string) => pages.find((p) => p.name === name)?.path ?? "";

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  pages = await prepareAppPages(await context.newPage(), TEAM, httpbin());
  await context.close();
});

test("every page, in the light and the dark theme, has no serious or critical axe violation", async ({ browser }) => {
  test.setTimeout(600_000); // axe takes seconds per page on a busy machine
  const context = await themedContext(browser, "light");
  const page = await context.newPage();
  const violations: Violation[] = [];
  await visit(page, "/connections");
  // The seeded data lives in the team made above; this context's current team is the first one.
  await page.getByLabel("Current team").selectOption({ label: TEAM });
  await expect(page.getByTestId(`connection-${LONG_CONNECTION_NAME}`)).toBeVisible();
  for (const { name, path } of pages.filter((p) => p.as === "member")) {
    await visit(page, path);
    expect(await page.locator("html").getAttribute("data-theme")).toBe("light");
    violations.push(...(await audit(page, `${name} (${path})`)));
  }
  // Signed out: the sign-in page and an invitation.
  const guest = await themedContext(browser, "light", false);
  const guestPage = await guest.newPage();
  for (const { name, path } of pages.filter((p) => p.as === "guest")) {
    await visit(guestPage, path);
    violations.push(...(await audit(guestPage, `${name} (signed out)`)));
  }
  await guest.close();
  await context.close();
  expect(violations, report(violations)).toEqual([]);
});

test("every dialog and menu, in the light and the dark theme, has no serious or critical axe violation", async ({ browser }) => {
  test.setTimeout(600_000); // axe takes seconds per page on a busy machine
  const context = await themedContext(browser, "light");
  const page = await context.newPage();
  const violations: Violation[] = [];
  const check = async (where: string) => violations.push(...(await audit(page, where)));
  await visit(page, "/connections");
  await page.getByLabel("Current team").selectOption({ label: TEAM });
  await expect(page.getByTestId(`connection-${LONG_CONNECTION_NAME}`)).toBeVisible();

  await page.getByRole("button", { name: "User menu" }).click();
  await expect(page.getByRole("menuitemradio", { name: "Dark" })).toBeVisible();
  await check("user menu");
  await page.keyboard.press("Escape");

  // The create dialog: the type picker, then the forms of a few types.
  const dialog = page.getByRole("dialog");
  await page.getByRole("button", { name: "New connection" }).click();
  await expect(dialog).toBeVisible();
  await check("new connection: type picker");
  for (const type of ["API key", "OAuth 2.0 Client Credentials", "OAuth 2.0 Authorization Code", "Custom auth", "AWS Signature V4"]) {
    await dialog.getByRole("button", { name: new RegExp(`^${type}`) }).click();
    await expect(dialog.getByLabel("Connection name")).toBeVisible();
    await check(`new connection: ${type}`);
    // Field errors shown, as a user who saves an empty form sees them.
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.locator("[aria-invalid=true]").first()).toBeVisible();
    await check(`new connection: ${type}, with field errors`);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toHaveCount(0);
    await page.getByRole("button", { name: "New connection" }).click();
  }
  await dialog.getByRole("button", { name: "Close" }).click();

  const row = connectionRow(page, LONG_CONNECTION_NAME);
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(dialog.getByLabel("Connection name")).toHaveValue(LONG_CONNECTION_NAME);
  await check("edit connection");
  await dialog.getByRole("button", { name: "Close" }).click();
  await row.getByRole("button", { name: "Delete" }).click();
  await check("connections: delete armed");
  await page.keyboard.press("Escape");

  // The request builder: cURL import, a response, Copy as cURL.
  await visit(page, "/requests");
  await page.getByRole("button", { name: "Import from cURL" }).click();
  await check("requests: import from cURL");
  await page.keyboard.press("Escape");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/anything/items`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response")).toContainText("200");
  await check("requests: with a response");
  await page.getByRole("button", { name: "Copy as cURL" }).click();
  await check("requests: copy as cURL");

  // Applications: the add menu, the create dialog, the secret shown once, regenerate and delete.
  await visit(page, "/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await check("applications: add menu");
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const create = page.getByRole("dialog", { name: "New OAuth client" });
  await check("applications: new OAuth client");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.locator("[aria-invalid=true]").first()).toBeVisible();
  await check("applications: new OAuth client, with field errors");
  await create.getByLabel("Name").fill(`Axe bot`);
  await create.getByRole("checkbox", { name: "connections:read" }).check();
  await create.getByRole("button", { name: "Create" }).click();
  const created = page.getByRole("dialog", { name: "Application created" });
  await expect(created.getByLabel("Client secret")).toBeVisible();
  await check("applications: application created");
  await created.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: `Actions for Axe bot` }).click();
  await check("applications: row menu");
  await page.getByRole("menuitem", { name: "Regenerate secret" }).click();
  await check("applications: regenerate secret");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Actions for Axe bot` }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete application" }).click();
  await check("applications: delete armed");
  // The audit in both themes can outlast the button's 8 s arming on a busy machine: delete afresh.
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Actions for Axe bot` }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete application" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Click again to delete" }).click();
  await expect(page.getByTestId(`application-Axe bot`)).toHaveCount(0);

  // Flows: the run page's step details, the delete confirmation.
  await visit(page, pagePath("flow editor"));
  await page.getByRole("button", { name: "Delete flow" }).click();
  await check("flow: delete armed");
  await page.keyboard.press("Escape");

  await context.close();
  expect(violations, report(violations)).toEqual([]);
});
