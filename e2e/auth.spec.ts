import { expect, test } from "@playwright/test";
import { ADMIN, signIn, signOut } from "./support/accounts";

test("sign out, a wrong password is refused with a message, then sign in", async ({ page }) => {
  await signIn(page, ADMIN);
  await signOut(page);
  await page.goto("/team");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("p[role=alert]")).toHaveText("Wrong email or password.");
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});

test("repeated failed sign-ins for one account are slowed down", async ({ page }) => {
  const email = "someone-else@example.test";
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("Password").fill(`guess-${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("p[role=alert]")).toHaveText("Wrong email or password.");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await page.getByLabel("Password").fill("guess-6");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("Too many failed sign-ins");
});
