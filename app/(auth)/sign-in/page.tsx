import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoButtons } from "@/components/auth/sso-buttons";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { getSessionActor } from "@/lib/auth/session";
import { needsSetup } from "@/lib/auth/setup";
import { SSO_LINK_COOKIE, ssoButtons } from "@/lib/sso/auth-providers";
import { isSsoRefusal, SSO_FAILED, SSO_REFUSALS } from "@/lib/sso/refusals";
import { ssoOnlyEnabled } from "@/lib/sso/sign-in-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

type SearchParams = { callbackUrl?: string; sso_error?: string; error?: string };

/** A refused or failed SSO sign-in, in words from a fixed table (nothing from the URL is echoed). */
function ssoMessage({ sso_error, error }: SearchParams): string | undefined {
  if (isSsoRefusal(sso_error)) return SSO_REFUSALS[sso_error];
  // Auth.js's own codes (its error page is this one: lib/auth/next-auth.ts).
  if (error) return SSO_FAILED;
  return undefined;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const db = await getDb();
  if (await needsSetup(db)) redirect("/setup");
  const params = await searchParams;
  const { callbackUrl } = params;
  if (await getSessionActor()) redirect(callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/");
  const message = ssoMessage(params);
  const linkPending = params.sso_error === "link_required" || (await cookies()).has(SSO_LINK_COOKIE);
  const [buttons, ssoOnly] = await Promise.all([ssoButtons(db), ssoOnlyEnabled(db)]);
  return (
    <Card>
      <h1 className="mb-6 text-xl font-semibold">Sign in</h1>
      {message && (
        <p
          role="alert"
          id="sso-message"
          className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          {message}
        </p>
      )}
      {!linkPending && <SsoButtons buttons={buttons} callbackUrl={callbackUrl} />}
      {ssoOnly && (
        <p id="sso-only-note" className="mb-4 text-sm text-zinc-600">
          Password sign-in is turned off: use single sign-on. Only the break-glass admin account can sign in with its password.
        </p>
      )}
      <SignInForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-center text-xs text-zinc-500">New here? Ask a team admin for an invitation link.</p>
    </Card>
  );
}
