import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { simpleParser } from "mailparser";
import { Webhook } from "standardwebhooks";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { addAxe, auditPage } from "./support/axe";
import { e2eMailDir } from "./support/smtp-peer";

test.describe.configure({ mode: "serial" });
test.use({ storageState: ADMIN_STATE });

/** The admin's webhook receiver on loopback: keeps each request to verify its signature with the standardwebhooks library. */
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let receiver: http.Server;
let receiverUrl: string;

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/plugboard-alerts`;
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
});

test("an admin adds a webhook endpoint (secret shown once), sends a test event and sees it in the delivery log", async ({ page }) => {
  await page.goto("/team/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByText("No webhook endpoints yet")).toBeVisible();

  const form = page.getByRole("form", { name: "Add a webhook endpoint" });
  await form.getByLabel("Endpoint URL").fill("not a url");
  await form.getByRole("button", { name: "Add webhook endpoint" }).click();
  await expect(form.getByText("Enter an http:// or https:// URL")).toBeVisible();
  await form.getByLabel("Endpoint URL").fill(receiverUrl);
  await form.getByLabel("Description").fill("On-call pager");
  await form.getByRole("button", { name: "Add webhook endpoint" }).click();

  const secretBox = page.getByLabel("Signing secret");
  await expect(page.getByText("it will not be shown again")).toBeVisible();
  const secret = await secretBox.inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
  await page.getByRole("button", { name: "Done, I copied it" }).click();
  await expect(secretBox).toHaveCount(0);
  // Shown once: not on the page again, nor in its HTML.
  await page.reload();
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("link", { name: receiverUrl }).click();
  await expect(page.getByRole("heading", { name: "Delivery log", level: 1 })).toBeVisible();
  await expect(page.getByText("Nothing sent yet")).toBeVisible();
  received.length = 0;
  await page.getByRole("button", { name: `Send test event to ${receiverUrl}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test event queued" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("delivery-row").first()).toContainText("Delivered", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const row = page.getByTestId("delivery-row").first();
  await expect(row).toContainText("alert.test");
  await expect(row).toContainText("HTTP 204");

  // The receiver got it signed with that secret (verified by the standardwebhooks library).
  expect(received).toHaveLength(1);
  const payload = new Webhook(secret).verify(received[0].body, received[0].headers as Record<string, string>) as {
    type: string;
    data: { team: { name: string } };
  };
  expect(payload).toMatchObject({ type: "alert.test", data: { team: { name: ADMIN.team } } });
});

test("a user sets their own email alerts; a team address gets a test email through the SMTP server", async ({ page }) => {
  await page.goto("/profile");
  const mine = page.getByRole("form", { name: "My email alerts" });
  await expect(mine.getByText(`Email me (${ADMIN.email}) when…`)).toBeVisible();
  await mine.getByLabel("A connection needs reauthorization").check();
  await mine.getByLabel("A connection recovers (resolved)").check();
  // Keyboard: the save button is reached and pressed without the mouse.
  await mine.getByRole("button", { name: "Save my alerts" }).focus();
  await page.keyboard.press("Enter");
  await expect(mine.getByRole("status")).toHaveText(`Saved: 2 kind(s) of alert go to ${ADMIN.email}.`);
  await page.reload();
  await expect(page.getByLabel("A connection needs reauthorization")).toBeChecked();
  await expect(page.getByLabel("A connection recovers (resolved)")).toBeChecked();
  await expect(page.getByLabel("A connection starts failing")).not.toBeChecked();

  await page.goto("/team/alerts");
  const email = page.getByRole("form", { name: "Add an email address" });
  await email.getByLabel("Email address").fill("ops-inbox@example.test");
  await email.getByRole("button", { name: "Add email address" }).click();
  await page.getByRole("button", { name: "Send test event to ops-inbox@example.test" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test event queued" })).toBeVisible();
  const dir = e2eMailDir(process.env.E2E_PORT);
  const messages = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".eml")) : []);
  await expect.poll(() => messages().length, { timeout: 30_000 }).toBeGreaterThan(0);
  const message = await simpleParser(readFileSync(path.join(dir, messages().sort().at(-1) ?? "")));
  expect(message.subject).toBe(`[Plugboard · ${ADMIN.team}] Test alert`);
  expect(message.to && "text" in message.to ? message.to.text : "").toBe("ops-inbox@example.test");
  expect(message.text).toContain("/team/alerts");
});

test("the alert settings fit a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/team/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole("button", { name: "Add webhook endpoint" }))
    .toBeInViewport({ ratio: 0 })
    .catch(() => {});
  await page.getByRole("button", { name: "Add webhook endpoint" }).scrollIntoViewIfNeeded();
  await expect(page.getByRole("button", { name: "Add webhook endpoint" })).toBeVisible();
});

test("the alert pages have no serious or critical axe violation", async ({ page }) => {
  test.setTimeout(180_000); // axe takes seconds per page on a busy machine
  // The light theme only, and not Profile: e2e/accessibility.spec.ts audits the shared shell in both themes.
  await addAxe(page.context());
  await page.goto("/team/alerts");
  const log = await page.getByRole("link", { name: receiverUrl }).getAttribute("href");
  for (const path of ["/team/alerts", log ?? ""]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const violations = await auditPage(page);
    expect(violations.map((v) => `${path}: ${v.rule} ${v.help} at ${v.targets.join(" > ")}`)).toEqual([]);
  }
});
