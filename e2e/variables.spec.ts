import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// Team variables: the Variables page (empty state, add by keyboard at phone width, a secret value that is
// never shown again, write-only edit, a field error, delete) and {{vars.NAME}} in the request builder, with
// the secret one masked in the echoed response. In a team of its own (made here), so the other specs find
// the admin's first team as they left it.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL as string;
const SECRET = "e2e-variable-secret-7f3a";

let teamId = "";

// Each test has a fresh browser context from ADMIN_STATE: the team made by the first one is chosen by its cookie.
test.beforeEach(async ({ page, baseURL }) => {
  if (teamId) await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
});

test("an admin adds variables on the Variables page; a secret value is never shown again", async ({ page }) => {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Variables team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Variables", exact: true }).click();
  await expect(page).toHaveURL(/\/team\/variables$/);
  await expect(page.getByRole("heading", { name: "Variables", level: 1 })).toBeVisible();
  await expect(page.getByText("No variables yet")).toBeVisible();

  // At phone width, by keyboard only: type, Tab to the next field, Enter submits.
  await page.setViewportSize({ width: 390, height: 844 });
  const add = page.getByRole("form", { name: "Add a variable" });
  await expect(add.getByLabel("Name")).toBeEnabled();
  await add.getByLabel("Name").focus();
  await page.keyboard.type("1bad");
  await page.keyboard.press("Enter");
  await expect(add.getByText("Use letters, digits and _")).toBeVisible();
  await add.getByLabel("Name").fill("");
  await page.keyboard.type("baseUrl");
  await page.keyboard.press("Tab");
  await page.keyboard.type(httpbin());
  await page.keyboard.press("Enter");
  await expect(add.getByRole("status")).toHaveText("Added baseUrl: use it as {{vars.baseUrl}}.");

  await add.getByLabel("Name").fill("apiToken");
  await add.getByLabel("Value").fill(SECRET);
  await add.getByLabel("Secret").check();
  await add.getByRole("button", { name: "Add variable" }).click();
  await expect(add.getByRole("status")).toHaveText("Added apiToken: use it as {{vars.apiToken}}.");
  // A taken name (any case) is a field error.
  await add.getByLabel("Name").fill("APITOKEN");
  await add.getByLabel("Value").fill("x");
  await add.getByRole("button", { name: "Add variable" }).click();
  await expect(add.getByText("This name is taken; choose another.")).toBeVisible();

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  const table = page.getByRole("table");
  await expect(table.getByRole("row", { name: /baseUrl/ })).toContainText(httpbin());
  await expect(table.getByRole("row", { name: /apiToken/ })).toContainText("Secret (set, hidden)");
  expect(await page.content()).not.toContain(SECRET);

  // Write-only: the edit form starts empty and, left empty, keeps the value (used below in a request).
  await page.getByText("Edit apiToken").click();
  const edit = page.getByRole("form", { name: "Edit apiToken" });
  await expect(edit.getByLabel("New value")).toHaveValue("");
  await edit.getByRole("button", { name: "Save apiToken" }).click();
  await expect(edit.getByRole("status")).toHaveText("Saved.");
  expect(await page.content()).not.toContain(SECRET);
});

test("{{vars.NAME}} fills the request builder's fields, the secret one masked in the response; an unknown one is a field error", async ({ page }) => {
  await page.goto("/requests");
  await page.getByText("Team variables (2)").click();
  await expect(page.getByRole("button", { name: "{{vars.apiToken}}" })).toBeVisible();

  await page.getByLabel("URL", { exact: true }).fill("{{vars.baseUrl}}/anything/{{vars.nope}}");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("{{vars.nope}}: the team has no variable named “nope”").first()).toBeVisible();
  // The server's field error lands on its field.
  await expect(page.getByLabel("URL", { exact: true })).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("URL", { exact: true }).fill("{{vars.baseUrl}}/anything/items");
  await page.getByRole("button", { name: "Add headers row" }).click();
  await page.getByLabel("Headers name 1").fill("X-Token");
  await page.getByLabel("Headers value 1").fill("Bearer {{vars.apiToken}}");
  await page.getByRole("button", { name: "Send" }).click();
  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText("200 OK");
  // httpbin echoes the header it got: the secret went out, and the page shows it masked.
  await expect(response.getByLabel("Response body")).toContainText('"Bearer ••••••"');
  await expect(response.getByLabel("Response body")).toContainText(`${httpbin()}/anything/items`);
  expect(await page.content()).not.toContain(SECRET);
});

test("an admin deletes a variable", async ({ page }) => {
  await page.goto("/team/variables");
  await page.getByRole("button", { name: "Delete baseUrl" }).click();
  await page.getByRole("button", { name: "Delete baseUrl for good" }).click();
  await expect(page.getByRole("table").getByRole("row", { name: /baseUrl/ })).toHaveCount(0);
  await expect(page.getByRole("table").getByRole("row", { name: /apiToken/ })).toHaveCount(1);
});

test("cleanup: back to the admin's first team", async ({ page }) => {
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
