import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { generateClientCertificates } from "../lib/http/testing/certificates";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { connectionRow, openNewConnection } from "./support/connections-page";

// Watching connections: the Health fields, "expires in N days" and its sort, the Needs attention view, its
// count in the navigation and the banner. In a team of its own, so the other specs find theirs unchanged.
test.describe.configure({ mode: "serial", timeout: 180_000 });
const expect = baseExpect.configure({ timeout: 30_000 });

let page: Page;
let failing: Server;
let failingUrl: string;
const dateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test.beforeAll(async ({ browser }) => {
  failing = createServer((_req, res) => {
    res.writeHead(401, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "invalid_key", error_description: "the key was rotated" }));
  });
  await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
  failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/me`;
  page = await browser.newPage({ storageState: ADMIN_STATE });
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Health watch");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});
test.afterAll(async () => {
  await page.close();
  await new Promise((resolve) => failing.close(resolve));
});

const nav = () => page.getByRole("navigation", { name: "Main" });
const banner = () => page.getByRole("region", { name: "Connections need attention" });

async function createApiKey(name: string, fill: (dialog: ReturnType<Page["getByRole"]>) => Promise<void> = async () => {}) {
  await openNewConnection(page, /^API key/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill(name);
  await dialog.getByLabel("API Key", { exact: true }).fill(`key-of-${name}`);
  await fill(dialog);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
}

test("an empty team has nothing needing attention and no count or banner", async () => {
  await page.goto("/attention");
  await expect(page.getByRole("heading", { name: "Needs attention", level: 1 })).toBeVisible();
  await expect(page.getByText("Nothing needs attention")).toBeVisible();
  await expect(nav().getByTestId("nav-count")).toHaveCount(0);
  await expect(banner()).toHaveCount(0);
});

test("Expires on and the certificate's own date show as 'expires in N days', sorted soonest first, and need attention", async () => {
  // The client certificate is issued for 2 days; its date is read from it.
  const certs = generateClientCertificates();
  await createApiKey("Mutual TLS", async (dialog) => {
    await dialog.getByText("Client certificate (mutual TLS, optional)").click();
    await dialog.getByLabel("Client Certificate (PEM)", { exact: true }).fill(certs.client.cert);
    await dialog.getByLabel("Client Private Key (PEM)", { exact: true }).fill(certs.client.key);
  });
  await createApiKey("Vendor key", async (dialog) => {
    await dialog.getByLabel("Expires on").fill(dateIn(10));
    await dialog.getByLabel("Check schedule").selectOption("hourly");
  });
  await createApiKey("Far key", async (dialog) => dialog.getByLabel("Expires on").fill(dateIn(90)));
  await createApiKey("Undated key");

  await page.goto("/connections");
  await expect(connectionRow(page, "Mutual TLS").getByTestId("connection-expiry")).toHaveText("Credential expires in 2 days");
  await expect(connectionRow(page, "Vendor key").getByTestId("connection-expiry")).toHaveText(/Credential expires in (10|11) days/);
  await expect(connectionRow(page, "Undated key").getByTestId("connection-expiry")).toHaveCount(0);

  await page.getByLabel("Sort").selectOption("expiry");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/sort=expiry/);
  await expect(page.locator('tbody tr[data-testid^="connection-"]')).toHaveCount(4);
  const order = await page.locator('tbody tr[data-testid^="connection-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")));
  expect(order).toEqual(["connection-Mutual TLS", "connection-Vendor key", "connection-Far key", "connection-Undated key"]);

  // The edit form shows the saved schedule.
  await connectionRow(page, "Vendor key").getByRole("button", { name: "Edit" }).click();
  await expect(page.getByRole("dialog").getByLabel("Check schedule")).toHaveValue("hourly");
  await expect(page.getByRole("dialog").getByLabel("Expires on")).toHaveValue(dateIn(10));
  await page.keyboard.press("Escape");

  await expect(
    nav()
      .getByRole("link", { name: /Needs attention/ })
      .getByTestId("nav-count"),
  ).toHaveText("2");
  await expect(banner()).toContainText("2 connections need attention");
});

test("Needs attention says why and what to do, and its action is reached by keyboard", async () => {
  await page.goto("/attention");
  const cert = page.getByTestId("attention-Mutual TLS");
  await expect(cert).toContainText("Its credential expires in 2 days");
  await expect(cert).toContainText("Get a new credential from the service, then edit the connection and update Expires on. You set it up.");
  await expect(page.getByTestId("attention-Vendor key")).toBeVisible();
  await expect(page.getByTestId("attention-Far key")).toHaveCount(0);
  // The most urgent (nearest expiry) first.
  await expect(page.locator('li[data-testid^="attention-"]').first()).toHaveAttribute("data-testid", "attention-Mutual TLS");

  const edit = cert.getByRole("link", { name: "Edit Mutual TLS" });
  await edit.focus();
  await expect(edit).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Mutual TLS", level: 1 })).toBeVisible();
});

test("the banner stays dismissed for its problems and comes back with a new one", async () => {
  await page.goto("/connections");
  await banner().getByRole("button", { name: "Dismiss" }).click();
  await expect(banner()).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Connections", level: 1 })).toBeVisible();
  await expect(banner()).toHaveCount(0);

  // A key rotated at the vendor: its check fails (saved anyway), a new problem.
  await openNewConnection(page, /^API key/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill("Rotated key");
  await dialog.getByLabel("API Key", { exact: true }).fill("old-key");
  await dialog.getByLabel("Test URL").fill(failingUrl);
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.getByRole("button", { name: "Save anyway" }).click();
  await expect(dialog).toHaveCount(0);
  await page.goto("/attention");
  await expect(banner()).toContainText("3 connections need attention");
  await expect(nav().getByTestId("nav-count")).toHaveText("3");
  const rotated = page.getByTestId("attention-Rotated key");
  await expect(rotated).toContainText("Its last check failed");
  await expect(rotated).toContainText("the key was rotated");
  await expect(rotated.getByRole("link", { name: "Edit Rotated key" })).toBeVisible();
  // A failed check is more urgent than an expiry.
  await expect(page.locator('li[data-testid^="attention-"]').first()).toHaveAttribute("data-testid", "attention-Rotated key");
});

test("on a phone-sized screen the Needs attention view stays within the screen", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/attention");
  await expect(page.getByTestId("attention-Rotated key")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(banner().getByRole("link", { name: "See what to do" })).toBeInViewport();
});

test("cleanup: back to the admin's first team", async () => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
