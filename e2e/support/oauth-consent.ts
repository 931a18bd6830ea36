import type { Page } from "@playwright/test";

/**
 * Call right before the click that starts consent. Signs in at the OAuth test server and answers its consent
 * page, whichever it shows (a remembered grant goes straight back), and returns the app's callback response
 * once the browser is back on the app at `back` (the Connections tab unless the consent started elsewhere).
 */
export async function consentAtProvider(
  page: Page,
  issuer: string,
  { back = "/connections", decision = "allow" }: { back?: string; decision?: "allow" | "deny" } = {},
) {
  const callback = page.waitForResponse((r) => new URL(r.url()).pathname === "/oauth/callback");
  let done = false;
  void callback.then(() => (done = true));
  for (let step = 0; step < 4 && !done; step++) {
    const next = await Promise.race([
      page
        .locator("body[data-page]")
        .waitFor()
        .then(() => "page" as const),
      callback.then(() => "done" as const),
    ]);
    if (next === "done") break;
    const kind = await page.locator("body").getAttribute("data-page");
    const before = page.url();
    if (kind === "login") {
      await page.locator("#login").fill("e2e-user");
      await page.locator("#password").fill("anything");
      await page.locator("#login-submit").click();
    } else {
      await page.locator(`#${decision}`).click();
    }
    await page.waitForURL((u) => u.href !== before);
  }
  const response = await callback;
  await page.waitForURL((u) => u.pathname === back && u.origin !== new URL(issuer).origin);
  return response;
}
