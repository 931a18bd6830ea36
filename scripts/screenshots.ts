import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect as baseExpect, chromium, type Page } from "@playwright/test";
import { startHttpbin } from "@/e2e/support/httpbin";
import { playwrightChromium } from "@/e2e/support/playwright-chromium";
import { requireTool } from "@/e2e/support/system-tools";

/**
 * The README's screenshots, from a running Plugboard: `npm run screenshots -- http://localhost:3000`.
 * On a fresh instance it creates the admin account in /setup; otherwise it signs in with
 * SCREENSHOTS_EMAIL / SCREENSHOTS_PASSWORD. In the team SCREENSHOTS_TEAM it adds, once, a few connections
 * and a flow that call an httpbin (SCREENSHOTS_HTTPBIN, else Debian's python3-httpbin started here on
 * loopback, which the server must allow: PLUGBOARD_ALLOWED_HOSTS=localhost,127.0.0.1), runs the flow, and
 * writes docs/screenshots/<page>-<theme>.png at 1280x800 in the light and the dark theme.
 */

// Generous waits: a server action on a busy machine can take many seconds.
const expect = baseExpect.configure({ timeout: 60_000 });

const OUT_DIR = "docs/screenshots";
const VIEWPORT = { width: 1280, height: 800 };
const THEMES = ["light", "dark"] as const;
const ACCOUNT = {
  name: process.env.SCREENSHOTS_NAME ?? "Ada Admin",
  email: process.env.SCREENSHOTS_EMAIL ?? "ada@example.test",
  password: process.env.SCREENSHOTS_PASSWORD ?? "plugboard-screenshots",
};
const TEAM = process.env.SCREENSHOTS_TEAM ?? "Acme Ops";
const FLOW = "Sync customer orders";

const baseUrl = process.argv[2] ?? process.env.SCREENSHOTS_URL;
if (!baseUrl) {
  console.error("usage: npm run screenshots -- <url of a running Plugboard>   (or set SCREENSHOTS_URL)");
  process.exit(2);
}

async function signIn(page: Page) {
  await page.goto("/");
  await page.waitForURL(/\/(setup|sign-in|connections)/);
  if (page.url().includes("/setup")) {
    await page.getByLabel("Name", { exact: true }).fill(ACCOUNT.name);
    await page.getByLabel("Email").fill(ACCOUNT.email);
    await page.getByLabel("Password").fill(ACCOUNT.password);
    await page.getByLabel("Team name").fill(TEAM);
    await page.getByRole("button", { name: "Create admin account" }).click();
  } else if (page.url().includes("/sign-in")) {
    await page.getByLabel("Email").fill(ACCOUNT.email);
    await page.getByLabel("Password").fill(ACCOUNT.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await page.waitForURL(/\/connections$/);
}

/** Makes TEAM the current team, creating it when the account has none of that name. */
async function selectTeam(page: Page) {
  const switcher = page.getByLabel("Current team");
  const names = await switcher.locator("option").allTextContents();
  if (names.includes(TEAM)) {
    if ((await switcher.locator("option:checked").textContent()) !== TEAM) {
      await switcher.selectOption({ label: TEAM });
      await expect(switcher.locator("option:checked")).toHaveText(TEAM);
    }
    return;
  }
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(TEAM);
  await page.getByRole("button", { name: "Create team" }).click();
  await page.waitForURL(/\/connections$/);
}

type DemoConnection = { name: string; type: RegExp; fields: Record<string, string>; verify: boolean };

async function addConnection(page: Page, connection: DemoConnection) {
  await page.goto("/connections");
  const row = page.getByTestId(`connection-${connection.name}`);
  if ((await row.count()) > 0) return;
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: connection.type }).click();
  await dialog.getByLabel("Connection name").fill(connection.name);
  for (const [label, value] of Object.entries(connection.fields)) {
    const field = dialog.getByLabel(label, { exact: true });
    if ((await field.evaluate((e) => e.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await dialog.getByRole("button", { name: "Save" }).click();
  // A failing check on save (when the server runs one) is kept on purpose: the list shows it in red.
  const saveAnyway = dialog.getByRole("button", { name: "Save anyway" });
  await expect(async () => {
    if (await saveAnyway.isVisible()) await saveAnyway.click();
    await expect(dialog).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  if (connection.verify) {
    await row.getByRole("button", { name: "Verify" }).click();
    await expect(row.getByRole("status")).toBeVisible();
  }
}

/** The flow's page, creating the flow when the team has none of that name. */
async function flowPage(page: Page, httpbin: string): Promise<string> {
  await page.goto("/flows");
  const existing = page.getByRole("link", { name: FLOW });
  if ((await existing.count()) > 0) return (await existing.first().getAttribute("href")) ?? "/flows";
  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill(FLOW);
  await page.getByLabel("Input (JSON)").fill('{"customerId": 42}');
  const steps = [
    { name: "orders", url: `${httpbin}/anything/orders?status=open`, connection: "Billing API (api_key)" },
    { name: "customer", url: `${httpbin}/anything/customers/{{input.customerId}}`, connection: "" },
    { name: "notify", url: `${httpbin}/status/202`, connection: "" },
  ];
  for (const [index, step] of steps.entries()) {
    if (index > 0) await page.getByRole("button", { name: "Add step" }).click();
    const editor = page.getByTestId(`step-${index}`);
    await editor.getByLabel("Step name").fill(step.name);
    await editor.getByLabel("URL", { exact: true }).fill(step.url);
    if (step.connection) {
      // The picker is a combobox searching the server: type the name, then click the option.
      await editor.getByRole("combobox", { name: "Connection", exact: true }).fill(step.connection.replace(/ \([a-z0-9_]+\)$/, ""));
      await editor.getByRole("option", { name: step.connection, exact: true }).click();
    }
  }
  await page.getByRole("button", { name: "Create flow" }).click();
  await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

async function shoot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  // No caret or hover state in the picture.
  await page.mouse.move(0, 0);
  await page.locator(":focus").evaluateAll((elements) => {
    for (const e of elements) (e as HTMLElement).blur();
  });
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, animations: "disabled", caret: "hide" });
  console.log(`wrote ${file}`);
}

const ownHttpbin = process.env.SCREENSHOTS_HTTPBIN ? undefined : await startHttpbin();
const httpbin = process.env.SCREENSHOTS_HTTPBIN ?? ownHttpbin?.url ?? "";
const browser = await chromium.launch({ executablePath: requireTool("chromium", playwrightChromium()), args: ["--no-sandbox", "--disable-gpu"] });
try {
  mkdirSync(OUT_DIR, { recursive: true });
  const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: "light" });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await signIn(page);
  await selectTeam(page);

  await addConnection(page, {
    name: "Billing API",
    type: /^API key/,
    fields: { "API Key": "sk-live-demo-4f9a", "Authentication Scheme": "Bearer", "Test URL": `${httpbin}/bearer` },
    verify: true,
  });
  await addConnection(page, {
    name: "Legacy CRM",
    type: /^Basic auth/,
    fields: { Username: "crm", Password: "demo-password", "Test URL": `${httpbin}/basic-auth/crm/demo-password` },
    verify: true,
  });
  await addConnection(page, {
    name: "Partner portal",
    type: /^Basic auth/,
    fields: { Username: "partner", Password: "expired-password", "Test URL": `${httpbin}/basic-auth/partner/new-password` },
    verify: true,
  });
  await addConnection(page, { name: "Status page", type: /^API key/, fields: { "API Key": "status-demo-key" }, verify: false });

  await page.goto(await flowPage(page, httpbin));
  await page.getByRole("button", { name: "Run now" }).click();
  await page.waitForURL(/\/flows\/runs\/[0-9a-f-]{36}$/);
  const runPage = new URL(page.url()).pathname;
  // The page refreshes itself while the run goes on; the picture is of the finished run.
  await expect(page.getByTestId("step-run-notify")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^(queued|running)$/)).toHaveCount(0, { timeout: 30_000 });

  const host = new URL(baseUrl).hostname;
  for (const theme of THEMES) {
    await context.addCookies([{ name: "plugboard-theme", value: theme, domain: host, path: "/" }]);
    await page.goto("/connections");
    await shoot(page, `connections-${theme}`);

    await page.goto("/requests");
    await page.getByLabel("URL", { exact: true }).fill(`${httpbin}/anything/orders?status=open`);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("response")).toContainText("200");
    await shoot(page, `request-${theme}`);

    await page.goto(runPage);
    await shoot(page, `flow-run-${theme}`);
  }
  await context.close();
} finally {
  await browser.close();
  await ownHttpbin?.stop();
}
