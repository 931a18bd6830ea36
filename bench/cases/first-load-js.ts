import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import type { BenchCase } from "../support/bench-case";
import { runCaseIfMain } from "../support/run-cases";
import { stopChild } from "@/e2e/support/child-processes";
import { FIRST_LOAD_JS_BUDGET_KIB, measureFirstLoadJs } from "@/e2e/support/first-load-js";
import { FIXED_PAGES } from "@/e2e/support/app-pages";
import { playwrightChromium } from "@/e2e/support/playwright-chromium";
import { requireTool } from "@/e2e/support/system-tools";

/**
 * First-load JS of every page, gzipped, measured in Chromium against the production build served by
 * `npm start` (a fresh embedded database; the pages that need no ids, signed in as the first admin, and
 * sign-in signed out). Ratio: the largest page's KiB over the 170 KiB budget. Sizes do not vary between
 * rounds; rounds are there for the runner's median and range.
 */
const PORT = 3194;
const BASE = `http://localhost:${PORT}`;

const firstLoadJs: BenchCase = {
  id: "first-load-js",
  ratio: `largest page's first-load JS / ${FIRST_LOAD_JS_BUDGET_KIB} KiB (gzipped)`,
  better: "lower",
  goal: 1,
  async start() {
    const dataDir = mkdtempSync(path.join(tmpdir(), "plugboard-bench-js-"));
    const server = await startApp(dataDir);
    const stopServer = async () => {
      await stopChild(server, "SIGTERM", 10_000);
      rmSync(dataDir, { recursive: true, force: true });
    };
    let browser: Browser;
    let member: Page;
    let guest: Page;
    try {
      // The browser the Playwright config uses: CHROMIUM_PATH, Playwright's own, else the system's.
      browser = await chromium.launch({ executablePath: requireTool("chromium", playwrightChromium()), args: ["--no-sandbox", "--disable-gpu"] });
      member = await browser.newPage({ baseURL: BASE });
      await createFirstAdmin(member);
      guest = await browser.newPage({ baseURL: BASE });
    } catch (error) {
      await stopServer();
      throw error;
    }
    return {
      async round() {
        const sizes: Record<string, number> = {};
        for (const appPage of FIXED_PAGES) {
          sizes[appPage.path] = (await measureFirstLoadJs(appPage.as === "guest" ? guest : member, appPage.path)).kib;
        }
        const largest = Math.max(...Object.values(sizes));
        return {
          ratio: largest / FIRST_LOAD_JS_BUDGET_KIB,
          figures: {
            "sign-in KiB": sizes["/sign-in"] ?? Number.NaN,
            "largest page KiB": largest,
            // The table rounds figures over 100 to integers: the margin under the budget, to a tenth.
            "largest page under budget by KiB": Math.round((FIRST_LOAD_JS_BUDGET_KIB - largest) * 10) / 10,
            "/connections KiB": sizes["/connections"] ?? Number.NaN,
          },
        };
      },
      async stop() {
        await browser.close();
        await stopServer();
      },
    };
  },
};
export default firstLoadJs;

async function startApp(dataDir: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    PLUGBOARD_DATA_DIR: dataDir,
    PLUGBOARD_WORKERS: "off",
    AUTH_SECRET: "bench-auth-secret-that-is-long-enough-0123456789",
    PLUGBOARD_ENCRYPTION_KEY: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  };
  delete env.DATABASE_URL;
  const server = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 600_000; // a stale build is rebuilt first
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}`);
    const answered = await fetch(`${BASE}/sign-in`).then(
      () => true,
      () => false,
    );
    if (answered) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(server);
  throw new Error("the app did not answer within 10 minutes");
}

async function createFirstAdmin(page: Page) {
  await page.goto("/setup");
  await page.getByLabel("Name", { exact: true }).fill("Bench Admin");
  await page.getByLabel("Email").fill("bench@example.test");
  await page.getByLabel("Password").fill("bench-password-123");
  await page.getByLabel("Team name").fill("Bench");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await page.waitForURL(/\/connections$/, { timeout: 60_000 });
}

await runCaseIfMain(import.meta.url, firstLoadJs);
