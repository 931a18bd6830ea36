import { chromium } from "@playwright/test";

/** Where Playwright's own Chromium would be (`npx playwright install chromium`), when it knows. */
export function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined; // a platform Playwright has no build for
  }
}
