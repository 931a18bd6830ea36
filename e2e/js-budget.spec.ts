import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { readOnlyAppPages } from "./support/app-pages";
import {
  FIRST_LOAD_JS_BUDGET_KIB,
  FRAMEWORK_FLOOR_PATH,
  measureFirstLoadJs,
  SIGN_IN_APP_ALLOWANCE_KIB,
  SIGN_IN_JS_BUDGET_KIB,
} from "./support/first-load-js";

// Issue 13's budgets: every page's first-load JS (gzipped, what the browser requests until the network is
// idle) under 170 KiB, sign-in under 100 KiB. The sign-in goal is below the framework's own floor (see
// SIGN_IN_JS_BUDGET_KIB), so sign-in is held to that floor, measured here on Next's 404 page, plus a small
// allowance for its own code. A page over budget fails with its largest scripts listed.

const httpbin = () => process.env.HTTPBIN_URL!;

test("every page's first-load JS stays within its budget", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const member = await browser.newContext({ storageState: ADMIN_STATE });
  const pages = await readOnlyAppPages(await member.newPage(), httpbin(), baseURL as string);
  const guest = await browser.newContext();
  const over: string[] = [];
  const sizes: string[] = [];
  const floorPage = await guest.newPage();
  const floor = await measureFirstLoadJs(floorPage, FRAMEWORK_FLOOR_PATH);
  await floorPage.close();
  const signInBudget = Math.min(FIRST_LOAD_JS_BUDGET_KIB, floor.kib + SIGN_IN_APP_ALLOWANCE_KIB);
  sizes.push(`framework floor (404 page): ${floor.kib} KiB; sign-in budget ${signInBudget} KiB (issue's goal ${SIGN_IN_JS_BUDGET_KIB} KiB: not met)`);
  for (const target of pages) {
    const page = await (target.as === "guest" ? guest : member).newPage();
    const measured = await measureFirstLoadJs(page, target.path);
    await page.close();
    const budget = target.path === "/sign-in" ? signInBudget : FIRST_LOAD_JS_BUDGET_KIB;
    sizes.push(`${target.name}: ${measured.kib} KiB`);
    if (measured.kib > budget) {
      const largest = measured.scripts.slice(0, 5).map((s) => `${s.url} ${s.kib} KiB`);
      over.push(`${target.name} (${target.path}): ${measured.kib} KiB > ${budget} KiB; largest: ${largest.join(", ")}`);
    }
  }
  console.log(`first-load JS, gzipped: ${sizes.join("; ")}`);
  await member.close();
  await guest.close();
  expect(over).toEqual([]);
});
