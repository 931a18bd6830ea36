import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

test.use({ storageState: ADMIN_STATE });

// The applications page's menus are plain buttons until used (Radix's menu loads on hover, focus or click,
// issue 13's JS budget); they must still open and work from the keyboard alone.
test("the add-application menu opens and works from the keyboard", async ({ page }) => {
  await page.goto("/team/applications");
  const add = page.getByRole("button", { name: "Add new application" });
  await expect(add).toHaveAttribute("aria-haspopup", "menu");
  await expect(add).toBeEnabled(); // hydrated: a press before would be lost
  await add.focus();
  await page.keyboard.press("Enter");
  const item = page.getByRole("menuitem", { name: "OAuth Client" });
  await expect(item).toBeVisible();
  await expect(page.getByRole("button", { name: "Add new application" })).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("ArrowDown");
  await expect(item).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "New OAuth client" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  // Once loaded it stays the Radix menu: Space opens it again.
  await page.getByRole("button", { name: "Add new application" }).focus();
  await page.keyboard.press("Space");
  await expect(item).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(item).toHaveCount(0);
});
