import { spawnSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { connectionRow } from "./support/connections-page";

// The Connections list at more than a page: natural name order, page links, search, status filter, the
// empty states, and the request builder's picker searching by keyboard. In a team of its own (made here),
// so the other specs find the admin's first team as they left it.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: ADMIN_STATE });

const databaseUrl = process.env.E2E_DATABASE_URL;
// 55 keys ("key 1" … "key 55", created in that order) and five others: 60, two pages of 50.
const KEYS = Array.from({ length: 55 }, (_, i) => `key ${i + 1}`);
const NAMES = [...KEYS, "alpha", "Beta 100", "beta 20", "gamma", "zulu_100%"];

async function names(page: Page) {
  return page.getByTestId(/^connection-/).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")?.replace(/^connection-/, "")));
}

test.beforeAll(() => {
  test.skip(!databaseUrl, "seeding 60 connections writes to the Postgres server (E2E_DATABASE_URL)");
});

let teamId = "";

// Each test has a fresh browser context from ADMIN_STATE: the team made by the first one is chosen by its cookie.
test.beforeEach(async ({ page, baseURL }) => {
  if (teamId) await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
});

test("a team with no connections shows the empty state; its seeded connections come in natural name order, 50 a page", async ({ page }) => {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Listing team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByText("No connections yet")).toBeVisible();
  teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "e2e/support/seed-connections.ts", teamId, ...NAMES], {
    // The e2e server's settings (e2e/support/start-e2e-server.ts): its key seals the rows as the app does.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "e2e-auth-secret-that-is-long-enough-0123456789",
      PLUGBOARD_ENCRYPTION_KEY: "e2e:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    },
    encoding: "utf8",
  });
  expect(seeded.status, seeded.stderr).toBe(0);

  await page.goto("/connections");
  await expect(page.getByTestId("connections-range")).toHaveText("1–50 of 60");
  const first = await names(page);
  expect(first.slice(0, 6)).toEqual(["alpha", "beta 20", "Beta 100", "gamma", "key 1", "key 2"]);
  // Numbers by value: key 9 before key 10, and the page ends at key 46 (4 + 46 = 50).
  expect(first.indexOf("key 9")).toBeLessThan(first.indexOf("key 10"));
  expect(first.at(-1)).toBe("key 46");

  // Page 2 by keyboard: Tab reaches the page links (real links), Enter follows one; the URL carries the page.
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages.getByRole("link", { name: "Page 1" })).toHaveAttribute("aria-current", "page");
  await pages.getByRole("link", { name: "Page 2" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/connections\?page=2$/);
  await expect(page.getByTestId("connections-range")).toHaveText("51–60 of 60");
  expect(await names(page)).toEqual([...KEYS.slice(46), "zulu_100%"]);
  // Back returns to page 1.
  await page.goBack();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByTestId("connections-range")).toHaveText("1–50 of 60");

  // Z to A, shared by its URL.
  await page.goto("/connections?sort=name_desc");
  expect((await names(page)).slice(0, 3)).toEqual(["zulu_100%", "key 55", "key 54"]);
  await expect(page.getByLabel("Sort")).toHaveValue("name_desc");
});

// Issue 13: a full page stays under 100 KB of HTML. The rows' buttons are named by short classes, the cells'
// padding is set once on the table, and the client gets only what a row shows (components/connections/connection-row.ts).
test("a full page of 50 connections is under 100 KB of HTML", async ({ page }) => {
  const response = await page.request.get("/connections");
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html.split('data-testid="connection-').length - 1).toBe(50);
  expect(Buffer.byteLength(html)).toBeLessThan(100_000);
});

test("search by name, status filter, and the no-match state with a way back", async ({ page }) => {
  await page.goto("/connections");
  const search = page.getByRole("search", { name: "Connections" });
  await search.getByLabel("Search by name or type").fill("key 5");
  await search.getByLabel("Search by name or type").press("Enter");
  await expect(page).toHaveURL(/[?&]q=key\+5(&|$)/);
  await expect(page.getByTestId("connections-range")).toHaveText("1–7 of 7");
  expect(await names(page)).toEqual(["key 5", "key 50", "key 51", "key 52", "key 53", "key 54", "key 55"]);

  // Status: the seed cycles verified, failed, not checked, needs reauthorization (key 1 is verified, key 2 failed…).
  await search.getByLabel("Status").selectOption({ label: "Failed" });
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId("connections-range")).toHaveText("1–2 of 2");
  expect(await names(page)).toEqual(["key 50", "key 54"]);
  await expect(connectionRow(page, "key 54").getByTestId("status")).toHaveText("Failed");

  // LIKE characters are plain text.
  await page.goto("/connections?q=_100%25");
  await expect(page.getByTestId("connections-range")).toHaveText("1–1 of 1");
  expect(await names(page)).toEqual(["zulu_100%"]);

  await page.goto("/connections?q=nothing+like+it&status=verified");
  await expect(page.getByText('No connection matches "nothing like it" and has the status “Verified”')).toBeVisible();
  await expect(page.getByText("No connections yet")).toHaveCount(0);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByTestId("connections-range")).toHaveText("1–50 of 60");
});

test("on a phone-sized screen the controls and page links stay on screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/connections");
  for (const control of [page.getByLabel("Search by name or type"), page.getByLabel("Status"), page.getByRole("link", { name: "Page 2" })]) {
    await control.scrollIntoViewIfNeeded();
    const box = await control.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  }
  // The page itself does not scroll sideways (the table scrolls in its own region).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("the request builder's connection picker searches the server and is driven by the keyboard", async ({ page }) => {
  await page.goto("/requests");
  const request = page.getByRole("form", { name: "Request" });
  const picker = request.getByRole("combobox", { name: "Connection", exact: true });
  await expect(picker).toHaveValue("");
  // The form takes input once hydrated (its fieldset is disabled before): focusing a disabled box does nothing.
  await expect(picker).toBeEnabled();
  await picker.focus();
  await page.keyboard.press("ArrowDown");
  const list = request.getByRole("listbox", { name: "Connections" });
  // Opened: "No connection" and the first 20 matches, not all 60; the rest are reached by typing.
  await expect(list.getByRole("option")).toHaveCount(21);
  await expect(request.getByText("More connections match: type to narrow the list.")).toBeVisible();
  await picker.pressSequentially("key 1");
  await expect(list.getByRole("option")).toHaveText([
    "No connection",
    "key 1 (api_key)",
    "key 10 (api_key)",
    "key 11 (api_key)",
    "key 12 (api_key)",
    "key 13 (api_key)",
    "key 14 (api_key)",
    "key 15 (api_key)",
    "key 16 (api_key)",
    "key 17 (api_key)",
    "key 18 (api_key)",
    "key 19 (api_key)",
  ]);
  // After typing nothing is highlighted: the first ArrowDown reaches "No connection", the second "key 1".
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(picker).toHaveAttribute("aria-activedescendant", /.+/);
  await page.keyboard.press("Enter");
  await expect(picker).toHaveValue("key 1 (api_key)");
  await expect(list.getByRole("option")).toHaveCount(0);
  // Escape closes the list and keeps the choice.
  await page.keyboard.press("ArrowDown");
  await expect(list.getByRole("option").first()).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(list.getByRole("option")).toHaveCount(0);
  await expect(picker).toHaveValue("key 1 (api_key)");
  // Another team's connections are never offered: the search is the current team's.
  await picker.fill("Httpbin");
  await expect(request.getByText("No connection matches.")).toBeVisible();
});

test("cleanup: back to the admin's first team", async ({ page }) => {
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
