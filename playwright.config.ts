import { defineConfig, devices } from "@playwright/test";
import { playwrightChromium } from "./e2e/support/playwright-chromium";
import { requireTool } from "./e2e/support/system-tools";

const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;

// CHROMIUM_PATH (`npm test` sets it to what it found or installed), else Playwright's own browser, else a
// system Chromium; none is a one-line error saying what to install.
const executablePath = requireTool("chromium", playwrightChromium());
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  globalSetup: "./e2e/support/playwright-global-setup.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: "setup", testMatch: "setup.spec.ts", use: { ...devices["Desktop Chrome"] } },
    { name: "app", testIgnore: ["setup.spec.ts", "*.locale.spec.ts"], dependencies: ["setup"], use: { ...devices["Desktop Chrome"] } },
    // The browser in another time zone and language than the server: dates must hydrate without a mismatch.
    {
      name: "locale",
      testMatch: "*.locale.spec.ts",
      // After the app project: its specs expect an empty history, and leave dated rows on every page.
      dependencies: ["app"],
      use: { ...devices["Desktop Chrome"], timezoneId: "America/Los_Angeles", locale: "de-DE" },
    },
  ],
  webServer: {
    command: "npx tsx e2e/support/start-e2e-server.ts",
    url: `${baseURL}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(port) },
  },
});
