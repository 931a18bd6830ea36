import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// Export and import (issue 18): a team of its own exports its connection with and without secrets, a second
// team of its own previews and imports both bundles. Ends back in the admin's first team.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL as string;
const API_KEY = "e2e-bundle-key-Ww31";
const PASSPHRASE = "e2e bundle passphrase";
const files: { plain?: string; sealed?: string } = {};
let sourceTeam = "";
let targetTeam = "";

async function newTeam(page: Page, name: string): Promise<string> {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(name);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  return (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
}

async function useTeam(page: Page, teamId: string, baseURL: string | undefined) {
  await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
}

async function exportBundle(page: Page, passphrase?: string): Promise<string> {
  await page.goto("/team/transfer");
  if (passphrase) {
    await page.getByLabel("Include connection secrets").check();
    await page.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  }
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  // A download's own file goes with the browser context: kept where the next tests can upload it.
  const file = path.join(mkdtempSync(path.join(tmpdir(), "plugboard-e2e-bundle-")), (await download).suggestedFilename());
  await (await download).saveAs(file);
  await expect(page.getByText(/^Downloaded plugboard-/)).toBeVisible();
  return file;
}

test("an admin exports a team's connection, without and with its secrets", async ({ page }) => {
  sourceTeam = await newTeam(page, "Bundle source");
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /^API key/ }).click();
  await dialog.getByLabel("Connection name").fill("Bundled API");
  await dialog.getByLabel("API Key", { exact: true }).fill(API_KEY);
  await dialog.getByLabel("Authentication Scheme").selectOption("Bearer");
  await dialog.getByLabel("Test URL").fill(`${httpbin()}/bearer`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  files.plain = await exportBundle(page);
  const plain = readFileSync(files.plain, "utf8");
  expect(JSON.parse(plain)).toMatchObject({
    format: "plugboard-team-bundle",
    version: 1,
    secrets: { mode: "none" },
    connections: [{ name: "Bundled API" }],
  });
  expect(plain).not.toContain(API_KEY);

  // A short passphrase is refused at its field.
  await page.goto("/team/transfer");
  await page.getByLabel("Include connection secrets").check();
  await page.getByLabel("Passphrase", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByText("Use a passphrase of at least 12 characters.")).toBeVisible();

  files.sealed = await exportBundle(page, PASSPHRASE);
  const sealed = readFileSync(files.sealed, "utf8");
  expect(JSON.parse(sealed)).toMatchObject({ secrets: { mode: "passphrase", kdf: { name: "scrypt" }, cipher: "aes-256-gcm" } });
  expect(sealed).not.toContain(API_KEY);
});

test("another team previews and imports the bundle without secrets: the connection asks for its credentials", async ({ page }) => {
  targetTeam = await newTeam(page, "Bundle target");
  await page.goto("/team/transfer");
  await page.getByLabel("Bundle file").setInputFiles(files.plain as string);
  await page.getByRole("button", { name: "Preview import" }).click();
  const preview = page.getByTestId("import-preview");
  await expect(preview.getByRole("row", { name: /Connection Bundled API Create/ })).toBeVisible();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("Imported: 1 created, 0 replaced, 0 skipped.");
  await expect(result.getByRole("link", { name: "Bundled API" })).toBeVisible();
  // Needs attention lists the stub; its action leads to the page, whose Enter credentials asks for the secret.
  await page.goto("/attention");
  await page.getByTestId("attention-Bundled API").getByRole("link", { name: "Enter credentials Bundled API" }).click();
  await expect(page.getByTestId("connection-status")).toHaveText("Needs credentials");
  await expect(page.getByTestId("needs-credentials")).toBeVisible();
  await page.getByRole("button", { name: "Enter credentials" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("API Key", { exact: true }).fill(API_KEY);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  // Checked against httpbin's /bearer on save: it works now.
  await expect(page.getByTestId("connection-status")).toHaveText("Verified");
  await expect(page.getByTestId("needs-credentials")).toHaveCount(0);
});

test("the bundle with secrets needs its passphrase; a name already taken can be skipped or renamed", async ({ page, baseURL }) => {
  await useTeam(page, targetTeam, baseURL);
  await page.goto("/team/transfer");
  await page.getByLabel("Bundle file").setInputFiles(files.sealed as string);
  await page.getByLabel("Bundle passphrase").fill("not the passphrase");
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(page.getByText(/The passphrase is wrong/)).toBeVisible();

  await page.getByLabel("Bundle passphrase").fill(PASSPHRASE);
  await page.getByRole("button", { name: "Preview import" }).click();
  const choice = page.getByLabel("Connection Bundled API already exists");
  await expect(choice).toHaveValue("rename");
  await expect(page.getByTestId("import-preview")).toContainText("Bundled API → Bundled API (imported)");
  // The proposed name can be changed; the preview follows.
  await page.getByLabel("New name for connection Bundled API").fill("Bundled API (staging)");
  await page.getByLabel("New name for connection Bundled API").blur();
  await expect(page.getByTestId("import-preview")).toContainText("Bundled API → Bundled API (staging)");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-result")).toContainText("Imported: 1 created");

  // With its secret, the renamed copy verifies against httpbin at once.
  await page.goto("/connections");
  const row = page.getByTestId("connection-Bundled API (staging)");
  await row.getByRole("button", { name: "Verify" }).click();
  await expect(row.getByTestId("status")).toHaveText("Verified");
});

test("cleanup: back to the admin's first team", async ({ page, baseURL }) => {
  await useTeam(page, sourceTeam, baseURL);
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
