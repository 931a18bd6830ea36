import { expect, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "ada@example.test", password: "correct-horse-battery", team: "Acme Ops" };
export const MEMBER = { name: "Max Member", email: "max@example.test", password: "member-password-123" };
// Per app server (E2E_PORT): runs side by side each sign in on their own server and database.
export const ADMIN_STATE = `e2e/.auth/admin-${process.env.E2E_PORT ?? "3100"}.json`;

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/connections$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
