import type { GetServerSideProps, PageConfig } from "next";
import Head from "next/head";
import { AuthShell } from "@/components/auth/auth-shell";
import { SsoButtons } from "@/components/auth/sso-buttons";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { decodeSignInView, SIGN_IN_VIEW_HEADER, type SignInView } from "@/lib/auth/sign-in-view";

/**
 * Sign-in: a Pages Router page that ships no JavaScript (every App Router page pays about 133 KiB of
 * framework for its runtime). A plain form posts to app/(auth)/sign-in/password/route.ts, which answers
 * with a redirect; what the page shows is computed by proxy.ts (lib/auth/sign-in-view.ts says why).
 */
export const config: PageConfig = { runtime: "nodejs", unstable_runtimeJS: false };

export const getServerSideProps: GetServerSideProps<SignInView> = async ({ req }) => {
  const header = req.headers[SIGN_IN_VIEW_HEADER];
  const view = decodeSignInView(typeof header === "string" ? header : undefined);
  if (!view) throw new Error("The sign-in page's state is missing: proxy.ts computes it for every GET /sign-in.");
  return { props: view };
};

export default function SignInPage({ callbackUrl, ssoMessage, linkPending, ssoOnly, buttons, flash }: SignInView) {
  return (
    <AuthShell>
      <Head>
        <title>Sign in · Plugboard</title>
      </Head>
      <Card>
        <h1 className="mb-6 text-xl font-semibold">Sign in</h1>
        {ssoMessage && (
          <p
            role="alert"
            id="sso-message"
            className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          >
            {ssoMessage}
          </p>
        )}
        {!linkPending && <SsoButtons buttons={buttons} callbackUrl={callbackUrl} />}
        {ssoOnly && (
          <p id="sso-only-note" className="mb-4 text-sm text-zinc-600">
            Password sign-in is turned off: use single sign-on. Only the break-glass admin account can sign in with its password.
          </p>
        )}
        <form method="post" action="/sign-in/password" className="space-y-4" noValidate>
          {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
          <FormMessage error={flash?.error} />
          <Field label="Email" error={flash?.fieldErrors?.email}>
            <Input type="email" name="email" autoComplete="email" defaultValue={flash?.email} />
          </Field>
          <Field label="Password" error={flash?.fieldErrors?.password}>
            <Input type="password" name="password" autoComplete="current-password" />
          </Field>
          <Button type="submit" className="w-full">
            Sign in
          </Button>
        </form>
        <p className="mt-6 text-center text-xs text-zinc-500">New here? Ask a team admin for an invitation link.</p>
      </Card>
    </AuthShell>
  );
}
