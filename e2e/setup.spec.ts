import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// A fresh install opens setup from any deep link, straight there: never a sign-in page saying to ask an
// admin who does not exist yet (nor an invitation page saying so). Runs first, on the empty database.
test("a fresh install opens /setup from any deep link", async ({ page }) => {
  for (const path of ["/connections", "/flows/abc", "/team/audit", "/profile", "/invite/not-a-token"]) {
    const response = await page.goto(path);
    await expect(page).toHaveURL(/\/setup$/);
    const hops: string[] = [];
    for (let r = response?.request().redirectedFrom(); r; r = r.redirectedFrom()) hops.push(new URL(r.url()).pathname);
    expect(hops).toEqual([path]);
  }
});

test("first visit creates the first admin and team, then setup is gone", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);

  // Errors appear next to the fields and the typed values stay.
  await page.getByLabel("Name", { exact: true }).fill(ADMIN.name);
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText("Enter a team name.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(ADMIN.name);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByLabel("Team name").fill(ADMIN.team);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await page.goto("/team");
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
  await expect(page.getByTestId(`member-${ADMIN.email}`)).toContainText("Ada Admin");

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.includes("authjs.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  await page.context().storageState({ path: ADMIN_STATE });

  await page.goto("/setup");
  await expect(page).toHaveURL(/\/sign-in|\/connections/);
  await expect(page.getByRole("button", { name: "Create admin account" })).toHaveCount(0);
});
