import path from "node:path";
import { defineConfig, devices, type Project } from "@playwright/test";
import { appSpecFiles, parseShard, shardSpecFiles } from "./e2e/support/e2e-shards";
import { playwrightChromium } from "./e2e/support/playwright-chromium";
import { requireTool } from "./e2e/support/system-tools";

const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;

// `npm test` runs the `app` specs in shards side by side, each run with its own E2E_PORT and
// E2E_DATABASE_URL (its own app server and database) and E2E_SHARD=i/n saying which files are its own;
// unset, one run holds them all.
const shard = parseShard(process.env.E2E_SHARD);
const testDir = path.resolve("e2e");
const appProject: Project = shard
  ? { testMatch: shardSpecFiles(appSpecFiles(testDir), shard).map((file) => path.join(testDir, file)) }
  : { testIgnore: ["setup.spec.ts"] };

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
  testDir,
  // Per shard, so that one run's start does not delete the other's traces.
  outputDir: shard ? `test-results/shard-${shard.index}` : "test-results",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [["list"]]
    : [["list"], ["html", { open: "never", outputFolder: shard ? `playwright-report/shard-${shard.index}` : "playwright-report" }]],
  globalSetup: "./e2e/support/playwright-global-setup.ts",
  use: {
    baseURL,
    trace: { mode: "retain-on-failure", screenshots: false },
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: "setup", testMatch: "setup.spec.ts", use: { ...devices["Desktop Chrome"] } },
    { name: "app", ...appProject, dependencies: ["setup"], use: { ...devices["Desktop Chrome"] } },
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
