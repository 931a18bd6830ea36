import type { Page } from "@playwright/test";
import { oauthTestControl } from "./oauth-test-control";
import type { IdTokenTamper } from "./oauth-test-tamper";

/**
 * Sets the account's claims at the provider, clicks the provider's button, logs in there and consents (a
 * second sign-in in the same browser finds the provider's session and grant, and comes straight back).
 * `tamperIdToken` has the provider alter the ID token of this sign-in (oauth-test-tamper.ts).
 */
export async function ssoSignIn(
  page: Page,
  button: string,
  login: string,
  claims: Record<string, unknown>,
  { tamperIdToken }: { tamperIdToken?: IdTokenTamper } = {},
) {
  await page.goto("/sign-in");
  const link = page.getByRole("link", { name: button });
  // The provider's controls are on its own origin: where the button's link redirects to.
  const start = await page.request.get((await link.getAttribute("href")) ?? "", { maxRedirects: 0 });
  const control = oauthTestControl(new URL(start.headers().location ?? "").origin);
  await control.setAccountClaims(login, claims);
  if (tamperIdToken) await control.tamperNextIdToken(login, tamperIdToken);
  await link.click();
  // Back at Plugboard: signed in, refused by Plugboard (sso_error) or failed in Auth.js (error).
  const settled = (u: URL) =>
    u.pathname.startsWith("/interaction/") || u.pathname === "/connections" || u.searchParams.has("sso_error") || u.searchParams.has("error");
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
