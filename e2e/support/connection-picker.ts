import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Chooses an option of a connection picker (components/connections/connection-picker.tsx), a combobox
 * that searches the server: types the words of `option` ("Name (type)" or "Slot: name") and clicks the
 * option once the answer lists it.
 */
export async function chooseConnection(scope: Page | Locator, option: string, pickerName = "Connection") {
  const picker = scope.getByRole("combobox", { name: pickerName, exact: true });
  const words = option.replace(/ \([a-z0-9_]+\)$/, "").replace(/^Slot: /, "");
  await picker.fill(words);
  await scope.getByRole("option", { name: option, exact: true }).click();
  await expect(picker).toHaveValue(option);
}
