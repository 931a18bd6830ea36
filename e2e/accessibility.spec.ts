import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { auditBothThemes, lightThemeAuditContext, type PlacedViolation, reportViolations } from "./support/axe";
import { LONG_CONNECTION_NAME, readOnlyAppPages } from "./support/app-pages";
import { connectionRow } from "./support/connections-page";

// axe-core on every dialog and menu, in the light and the dark theme: no violation of impact serious or
// critical (contrast, names of controls, labels, landmarks...). Every page as loaded is audited by
// every-page.spec.ts; both use the team readOnlyAppPages prepares, so the other specs still find their team's
// lists empty.

const httpbin = () => process.env.HTTPBIN_URL as string;

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
}

test("every dialog and menu, in the light and the dark theme, has no serious or critical axe violation", async ({ browser, baseURL }) => {
  test.setTimeout(600_000); // axe takes seconds per dialog on a busy machine, and the pages may be prepared first
  const context = await lightThemeAuditContext(browser, baseURL as string, { storageState: ADMIN_STATE });
  const page = await context.newPage();
  const pages = await readOnlyAppPages(page, httpbin(), baseURL as string);
  const pagePath = (name: string) => pages.find((p) => p.name === name)?.path ?? "";
  const violations: PlacedViolation[] = [];
  const check = async (where: string) => violations.push(...(await auditBothThemes(page, where)));
  await visit(page, "/connections");
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
  expect(violations, reportViolations(violations)).toEqual([]);
});
