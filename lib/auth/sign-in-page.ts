import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { isSafeReturnPath } from "@/lib/connections/return-path";
import { SSO_LINK_COOKIE, ssoButtons } from "@/lib/sso/auth-providers";
import { isSsoRefusal, SSO_FAILED, SSO_REFUSALS } from "@/lib/sso/refusals";
import { ssoOnlyEnabled } from "@/lib/sso/sign-in-settings";
import { parseThemePreference, THEME_COOKIE, themeAttribute } from "@/lib/theme/preference";
import { getSessionActor } from "./session";
import { needsSetup } from "./setup";
import { decodeSignInFlash, SIGN_IN_FLASH_COOKIE, type SignInView } from "./sign-in-view";

/** Where a sign-in goes next: the callback when it is a path on this site, else the home page. */
export function safeCallbackPath(callbackUrl: string | null | undefined): string {
  return callbackUrl && isSafeReturnPath(callbackUrl) ? callbackUrl : "/";
}

/** A refused or failed SSO sign-in, in words from a fixed table (nothing from the URL is echoed). */
function ssoMessage(params: URLSearchParams): string | undefined {
  const code = params.get("sso_error") ?? undefined;
  if (isSsoRefusal(code)) return SSO_REFUSALS[code];
  // Auth.js's own codes (its error page is this one: lib/auth/next-auth.ts).
  if (params.has("error")) return SSO_FAILED;
  return undefined;
}

/**
 * The sign-in page's GET, run by proxy.ts: setup first on a fresh install, a signed-in user straight on to
 * the callback, else what the page shows (pages/sign-in.tsx).
 */
export async function signInPage(request: NextRequest): Promise<{ redirect: string } | { view: SignInView }> {
  const db = await getDb();
  if (await needsSetup(db)) return { redirect: "/setup" };
  const params = request.nextUrl.searchParams;
  const callbackUrl = params.get("callbackUrl") ?? undefined;
  if (await getSessionActor()) return { redirect: safeCallbackPath(callbackUrl) };
  const [buttons, ssoOnly] = await Promise.all([ssoButtons(db), ssoOnlyEnabled(db)]);
  return {
    view: {
      // One too long to be a path here is dropped (the form and the SSO links go home after sign-in).
      callbackUrl: callbackUrl && isSafeReturnPath(callbackUrl) ? callbackUrl : undefined,
      ssoMessage: ssoMessage(params),
      linkPending: params.get("sso_error") === "link_required" || request.cookies.has(SSO_LINK_COOKIE),
      ssoOnly,
      buttons,
      theme: themeAttribute(parseThemePreference(request.cookies.get(THEME_COOKIE)?.value)),
      flash: decodeSignInFlash(request.cookies.get(SIGN_IN_FLASH_COOKIE)?.value),
    },
  };
}
