import { type BrowserContext, expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { LONG_CONNECTION_NAME, readOnlyAppPages } from "./support/app-pages";
import { measureOverflow } from "./support/overflow";
import { connectionRow } from "./support/connections-page";

// The phone menu and the connections table at desktop width. Every page at a phone, a tablet and a desktop
// width is checked by every-page.spec.ts (/setup exists only before the first account: setup.spec.ts sees it;
// it shares its layout with sign-in).

const httpbin = () => process.env.HTTPBIN_URL!;

test.describe.configure({ mode: "serial" });

let member: BrowserContext;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(240_000); // a team, a connection, a request, a flow run, an application and an invitation
  member = await browser.newContext({ storageState: ADMIN_STATE });
  // Shared with every-page.spec.ts (run before this one); the last test here adds a connection to the team.
  await readOnlyAppPages(await member.newPage(), httpbin(), baseURL as string);
});
test.afterAll(async () => {
  await member.close();
});

test("on a phone the header's menu button opens the navigation, team switcher and user menu, by keyboard too", async () => {
  const page = await member.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/connections");
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(page.getByLabel("Current team")).toBeHidden();
  await expect(page.getByRole("button", { name: "User menu" })).toBeHidden();

  // Enter opens it; what it controls is the panel that holds the three.
  await expect(menu).toBeEnabled(); // hydrated: a press before would be lost
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const panel = page.locator(`[id="${await menu.getAttribute("aria-controls")}"]`);
  await expect(panel.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(panel.getByLabel("Current team")).toBeVisible();
  await expect(panel.getByRole("button", { name: "User menu" })).toBeVisible();
  expect((await measureOverflow(page)).overflow).toBeLessThanOrEqual(0);

  // Escape closes it and gives the focus back to the button.
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // Space opens it again; Tab reaches the Flows link; Enter follows it, and the menu closes on the new page.
  await page.keyboard.press("Space");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const flows = nav.getByRole("link", { name: "Flows" });
  for (let i = 0; i < 10 && !(await flows.evaluate((link) => link === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(flows).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole("heading", { name: "Flows", level: 1 })).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();

  // The user menu inside the panel opens; Escape closes that menu first, and the panel stays open.
  await menu.click();
  await panel.getByRole("button", { name: "User menu" }).click();
  await expect(page.getByRole("menuitem", { name: "Profile" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menuitem", { name: "Profile" })).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await panel.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Profile" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // From md up there is no menu button: the navigation is in the header.
  for (const width of [768, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(menu).toBeHidden();
    await expect(nav).toBeVisible();
    await expect(page.getByRole("button", { name: "User menu" })).toBeVisible();
    await expect(page.getByLabel("Current team")).toBeVisible();
  }
  await page.close();
});

test("the connections table at 1440 px: names on at most two lines, each message shown once", async () => {
  const page = await member.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/connections");
  // A connection whose check fails: its message is stored and also answered to Verify.
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /^Basic auth/ }).click();
  await dialog.getByLabel("Connection name").fill("Reporting warehouse with a wrong password");
  await dialog.getByLabel("Username").fill("ada");
  await dialog.getByLabel("Password").fill("wrong-password");
  await dialog.getByLabel("Test URL").fill(`${httpbin()}/basic-auth/ada/right-password`);
  await dialog.getByRole("button", { name: "Save" }).click();
  // Saving runs the check where test-on-save exists: keep the connection anyway.
  const saveAnyway = dialog.getByRole("button", { name: "Save anyway" });
  await expect(async () => expect((await dialog.count()) === 0 || (await saveAnyway.isVisible())).toBe(true)).toPass();
  if (await saveAnyway.isVisible()) await saveAnyway.click();
  await expect(dialog).toHaveCount(0);

  const failing = connectionRow(page, "Reporting warehouse with a wrong password");
  await failing.getByRole("button", { name: "Verify" }).click();
  await expect(failing.getByTestId("status")).toHaveText("Failed");
  const message = (await failing.getByRole("status").innerText()).trim();
  expect(message).toMatch(/401/);
  const occurrences = async () => (await failing.innerText()).split(message).length - 1;
  expect(await occurrences()).toBe(1);
  await page.reload();
  await expect(failing.getByRole("status")).toHaveText(message);
  expect(await occurrences()).toBe(1);

  for (const name of [LONG_CONNECTION_NAME, "Reporting warehouse with a wrong password"]) {
    const lines = await page.getByRole("link", { name }).evaluate((link) => link.getClientRects().length);
    expect(lines, name).toBeLessThanOrEqual(2);
  }
  await page.screenshot({ path: "test-results/connections-1440.png", fullPage: true });
  await page.close();
});
