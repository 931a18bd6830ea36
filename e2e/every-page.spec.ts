import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { readOnlyAppPages, type AppPage } from "./support/app-pages";
import { auditBothThemes, lightThemeAuditContext, type PlacedViolation, reportViolations } from "./support/axe";
import {
  FIRST_LOAD_JS_BUDGET_KIB,
  FRAMEWORK_FLOOR_PATH,
  loadWithoutCache,
  measureFirstLoadJs,
  SIGN_IN_APP_ALLOWANCE_KIB,
  SIGN_IN_JS_BUDGET_KIB,
} from "./support/first-load-js";
import { overflowAtEveryWidth } from "./support/overflow";

// Every page of e2e/support/app-pages.ts, loaded once and checked for all a load can tell:
// - axe-core in the light theme (every rule) and the dark theme (the colour rules: the markup is the same),
//   switched as the user menu switches it: no violation of impact serious or critical;
// - at 390, 768 and 1440 px nothing makes the page wider than the window;
// - its first-load JS (gzipped, what the browser requests until the network is idle, the cache off as on a
//   first visit) within issue 13's budget: 170 KiB, sign-in held to the framework's floor (Next's 404 page)
//   plus a small allowance for its own code (the 100 KiB is below that floor, see first-load-js.ts).
// One load per page serves the three (they were three sweeps of some fifty loads each).
// The dialogs and menus are audited in accessibility.spec.ts, the phone menu and the table in layout.spec.ts.

const httpbin = () => process.env.HTTPBIN_URL!;

/** A page in the light theme with axe-core in every document and no cache (each load is a first visit). */
async function sweepPage(browser: Browser, baseURL: string, storageState?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await lightThemeAuditContext(browser, baseURL, storageState);
  const page = await context.newPage();
  await loadWithoutCache(page);
  return { context, page };
}

test("every page: no serious or critical axe violation in either theme, never wider than the window, first-load JS within budget", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(600_000); // axe and three widths on some twenty-five pages, seconds each on a busy machine
  const member = await sweepPage(browser, baseURL as string, ADMIN_STATE);
  const guest = await sweepPage(browser, baseURL as string);
  const pages: AppPage[] = await readOnlyAppPages(member.page, httpbin(), baseURL as string);

  const floor = await measureFirstLoadJs(guest.page, FRAMEWORK_FLOOR_PATH);
  const signInBudget = Math.min(FIRST_LOAD_JS_BUDGET_KIB, floor.kib + SIGN_IN_APP_ALLOWANCE_KIB);
  const sizes = [
    `framework floor (404 page): ${floor.kib} KiB; sign-in budget ${signInBudget} KiB (issue's goal ${SIGN_IN_JS_BUDGET_KIB} KiB: not met)`,
  ];
  const violations: PlacedViolation[] = [];
  const overflows: string[] = [];
  const overBudget: string[] = [];

  for (const target of pages) {
    const { page } = target.as === "guest" ? guest : member;
    const where = `${target.name} (${target.path})`;
    const js = await measureFirstLoadJs(page, target.path);
    expect(js.status, where).toBeLessThan(400);
    expect(await page.locator("html").getAttribute("data-theme")).toBe("light");

    const budget = target.path === "/sign-in" ? signInBudget : FIRST_LOAD_JS_BUDGET_KIB;
    sizes.push(`${target.name}: ${js.kib} KiB`);
    if (js.kib > budget) {
      const largest = js.scripts.slice(0, 5).map((s) => `${s.url} ${s.kib} KiB`);
      overBudget.push(`${where}: ${js.kib} KiB > ${budget} KiB; largest: ${largest.join(", ")}`);
    }
    violations.push(...(await auditBothThemes(page, where)));
    overflows.push(...(await overflowAtEveryWidth(page, where)));
  }
  console.log(`first-load JS, gzipped: ${sizes.join("; ")}`);

  // The overflow measure itself notices a page wider than the window.
  await member.page.evaluate(() => {
    const wide = document.createElement("div");
    wide.style.width = "2000px"; // wider than the widest of the three
    wide.style.height = "1px";
    document.body.append(wide);
  });
  expect(await overflowAtEveryWidth(member.page, "with a too wide element")).toHaveLength(3);

  await member.context.close();
  await guest.context.close();
  expect.soft(violations, reportViolations(violations)).toEqual([]);
  expect.soft(overflows, overflows.join("\n")).toEqual([]);
  expect(overBudget, overBudget.join("\n")).toEqual([]);
});
