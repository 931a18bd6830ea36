import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// Editing, disabling and rotating the secret of a webhook endpoint, in a team of its own (made here), so the
// other specs find the admin's first team as they left it.
test.describe.configure({ mode: "serial" });
test.use({ storageState: ADMIN_STATE });

const received: { url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let receiver: http.Server;
let base: string;
let teamId = "";

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
});

test.beforeEach(async ({ page, baseURL }) => {
  if (teamId) await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
});

test("an admin edits a webhook endpoint, disables and enables it, and rotates its secret (both secrets sign during the overlap)", async ({
  page,
}) => {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Endpoint edit team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);

  await page.goto("/team/alerts");
  const add = page.getByRole("form", { name: "Add a webhook endpoint" });
  await add.getByLabel("Endpoint URL").fill(`${base}/first`);
  await add.getByRole("button", { name: "Add webhook endpoint" }).click();
  const oldSecret = await page.getByLabel("Signing secret").inputValue();
  expect(oldSecret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "Done, I copied it" }).click();

  // Edit: a new URL and description.
  await page.getByRole("link", { name: `${base}/first` }).click();
  const edit = page.getByRole("form", { name: "Edit the webhook endpoint" });
  await edit.getByLabel("Endpoint URL").fill("ftp://nope");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByText("Enter an http:// or https:// URL")).toBeVisible();
  await edit.getByLabel("Endpoint URL").fill(`${base}/moved`);
  await edit.getByLabel("Description").fill("Moved pager");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByText("Moved pager").first()).toBeVisible();
  await expect(page.getByLabel("Endpoint URL")).toHaveValue(`${base}/moved`);

  // Disable, seen on the Alerts page; then enable again.
  await page.getByRole("button", { name: `Disable ${base}/moved` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Disabled: no new alert goes there." })).toBeVisible();
  await page.goto("/team/alerts");
  await expect(page.getByText("Disabled: receives no new alert")).toBeVisible();
  await page.getByRole("button", { name: `Enable ${base}/moved` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Enabled." })).toBeVisible();
  await page.reload();
  await expect(page.getByText("Disabled: receives no new alert")).toHaveCount(0);

  // Rotate: the new secret shown once; a test event carries both signatures.
  await page.getByRole("link", { name: `${base}/moved` }).click();
  await page.getByRole("button", { name: "Rotate signing secret" }).click();
  await page.getByRole("button", { name: "Rotate now" }).click();
  const newSecret = await page.getByLabel("New signing secret").inputValue();
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(oldSecret);
  await expect(page.getByText("Rotation under way")).toBeVisible();
  received.length = 0;
  await page.getByRole("button", { name: `Send test event to ${base}/moved` }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("delivery-row").first()).toContainText("Delivered", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  expect(await page.content()).not.toContain(newSecret);
  expect(received.map((r) => r.url)).toEqual(["/moved"]);
  for (const secret of [oldSecret, newSecret]) new Webhook(secret).verify(received[0].body, received[0].headers as Record<string, string>);
});

test("cleanup: back to the admin's first team", async ({ page }) => {
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
