import { expect, type Page } from "@playwright/test";

/** The connections list's row of one connection, by its name. */
export const connectionRow = (page: Page, name: string) => page.getByTestId(`connection-${name}`);

/** Opens the create dialog and picks a type by its label (a button named by label and description). */
export async function openNewConnection(page: Page, type: RegExp) {
  await page.goto("/connections");
  await page.getByRole("button", { name: "New connection" }).click();
  await page.getByRole("dialog").getByRole("button", { name: type }).click();
}

/** Clicks Verify and waits for the stored result (its time changes), then checks the status shown. */
export async function verifyConnection(page: Page, name: string, status: string) {
  const row = connectionRow(page, name);
  const before = (await row.getAttribute("data-verified-at")) ?? "";
  await row.getByRole("button", { name: "Verify" }).click();
  await expect(row).not.toHaveAttribute("data-verified-at", before);
  await expect(row.getByTestId("status")).toHaveText(status);
}
