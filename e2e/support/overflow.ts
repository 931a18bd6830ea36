import type { Page } from "@playwright/test";

/** The widths every page is checked at: a phone, a tablet and a desktop. */
const LAYOUT_WIDTHS = [390, 768, 1440] as const;

/** How far the page is wider than the window, and the outermost elements that stick out past its right edge. */
export async function measureOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const limit = window.innerWidth;
    const sticksOut = (el: Element) => {
      if (el.getBoundingClientRect().right <= limit + 0.5) return false;
      // Clipped by an ancestor that scrolls or hides its overflow and itself fits: not the page's problem.
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= limit + 0.5) return false;
      }
      return true;
    };
    const culprits: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (culprits.length >= 4 || !sticksOut(el) || (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement))) continue;
      const classes = typeof el.className === "string" ? el.className.split(/\s+/).slice(0, 6).join(".") : "";
      const text = (el.textContent ?? "").trim().slice(0, 40);
      culprits.push(`<${el.tagName.toLowerCase()}${classes ? `.${classes}` : ""}> right=${Math.round(el.getBoundingClientRect().right)} "${text}"`);
    }
    return { overflow: root.scrollWidth - limit, culprits };
  });
}

/**
 * What the page, as loaded, shows at each of LAYOUT_WIDTHS: the window resized as a user would (the layout is
 * CSS alone, no script reads the width), then back to `restore`. A problem per width that overflows.
 */
export async function overflowAtEveryWidth(page: Page, where: string): Promise<string[]> {
  const restore = page.viewportSize();
  const problems: string[] = [];
  for (const width of LAYOUT_WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const { overflow, culprits } = await measureOverflow(page);
    if (overflow > 0) problems.push(`${where} at ${width} px: ${overflow} px wider than the window; ${culprits.join("; ")}`);
  }
  if (restore) await page.setViewportSize(restore);
  return problems;
}
