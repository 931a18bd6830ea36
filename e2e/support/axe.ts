import axe from "axe-core";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "@playwright/test";

/**
 * axe-core audits for the specs. axe-core is given to the context once, as a script every document runs when it
 * starts: @axe-core/playwright's analyze() sends its half-megabyte source into the page and opens a blank page
 * for every audit, seconds each on this machine, several times what the audit itself takes.
 */

/** The rules whose outcome depends on colours: all a theme can change, the rest being the same markup. */
export const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

export type AxeViolation = { rule: string; impact: string; targets: string[]; help: string };

/** Makes axe-core available in every page of `context`, from its next navigation on. */
export async function addAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: axe.source });
}

/**
 * Runs axe-core on what `page` shows now (every rule, or `rules` only) and returns its serious and critical
 * violations, a node each. The page must have been opened in a context given `addAxe`.
 */
export async function auditPage(page: Page, rules?: string[]): Promise<AxeViolation[]> {
  const options: axe.RunOptions = rules ? { runOnly: { type: "rule", values: rules } } : {};
  // Audit the page as it settles, not half-way: forms and menus are disabled (aria-busy) until hydrated, and
  // colours with a CSS transition (a button enabled at hydration, a theme switch) change over a moment,
  // starting with the next frame. (`finished` rejects when an animation is cancelled, as a transition is
  // when its property changes again: that one has nothing left to wait for.)
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  await page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
  });
  const results = await page.evaluate((runOptions) => {
    const injected = (window as unknown as { axe?: typeof axe }).axe;
    if (!injected) throw new Error("axe-core is not in this page: open it in a context given addAxe()");
    return injected.run(document, runOptions);
  }, options);
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => ({ rule: v.id, impact: v.impact ?? "", targets: node.target.map(String), help: v.help })));
}

export type PlacedViolation = AxeViolation & { where: string };

/**
 * Runs axe on what the page shows now in the light theme (every rule) and in the dark theme (the colour rules:
 * the markup is the same), switched as the user menu switches it (<html data-theme> at once), then back to
 * light; returns the serious and critical violations, named by theme and where they were, and logs them as it
 * goes (a long run that times out still says what it found).
 */
export async function auditBothThemes(page: Page, where: string): Promise<PlacedViolation[]> {
  const found: PlacedViolation[] = [];
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    const violations = await auditPage(page, theme === "light" ? undefined : COLOUR_RULES);
    found.push(...violations.map((v) => ({ ...v, where: `${theme} ${where}` })));
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = "light";
  });
  if (found.length > 0) console.log(reportViolations(found));
  return found;
}

export function reportViolations(violations: PlacedViolation[]): string {
  return violations.map((v) => `${v.where}: ${v.rule} (${v.impact}) at ${v.targets.join(" > ")}: ${v.help}`).join("\n");
}

/** A context in the light theme, chosen as a user would (the cookie the user menu sets), with axe-core given. */
export async function lightThemeAuditContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: "plugboard-theme", value: "light", url: baseURL }]);
  await addAxe(context);
  return context;
}
