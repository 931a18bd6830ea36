import type { Page } from "@playwright/test";
import { oauthTestControl } from "./oauth-test-control";

/**
 * Sets the account's claims at the provider, clicks the provider's button, logs in there and consents (a
 * second sign-in in the same browser finds the provider's session and grant, and comes straight back).
 */
export async function ssoSignIn(page: Page, button: string, login: string, claims: Record<string, unknown>) {
  await page.goto("/sign-in");
  const link = page.getByRole("link", { name: button });
  // The provider's controls are on its own origin: where the button's link redirects to.
  const start = await page.request.get((await link.getAttribute("href")) ?? "", { maxRedirects: 0 });
  await oauthTestControl(new URL(start.headers().location ?? "").origin).setAccountClaims(login, claims);
  await link.click();
  const settled = (u: URL) => u.pathname.startsWith("/interaction/") || u.pathname === "/connections" || u.searchParams.has("sso_error");
  for (let step = 0; step < 4; step++) {
    await page.waitForURL(settled);
    const at = page.url();
    if (!new URL(at).pathname.startsWith("/interaction/")) return;
    if ((await page.locator("body").getAttribute("data-page")) === "login") {
      await page.locator("#login").fill(login);
      await page.locator("#login-submit").click();
    } else {
      await page.locator("#allow").click();
    }
    await page.waitForURL((u) => u.href !== at);
  }
}
