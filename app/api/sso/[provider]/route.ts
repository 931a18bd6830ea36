import { getDb } from "@/db";
import { signIn } from "@/lib/auth/next-auth";
import { findSsoProvider } from "@/lib/sso/stored-providers";
import { startSsoSchema } from "@/lib/sso/schemas";

export const dynamic = "force-dynamic";

/**
 * An SSO button's link: Auth.js sets the PKCE verifier, state and nonce cookies and redirects to the
 * provider. A GET (a plain link, no JavaScript on the sign-in page): starting a sign-in someone else asked
 * for only leads to the provider's own login, and the callback is bound to this browser by those cookies.
 */
export async function GET(request: Request, { params }: { params: Promise<{ provider: string }> }): Promise<Response> {
  const url = new URL(request.url);
  const parsed = startSsoSchema.safeParse({ provider: (await params).provider, callbackUrl: url.searchParams.get("callbackUrl") ?? undefined });
  if (!parsed.success || !(await findSsoProvider(await getDb(), parsed.data.provider))) {
    return Response.json({ error: "provider: no such sign-in provider is configured" }, { status: 404 });
  }
  // Throws Next's redirect to the provider's authorization endpoint.
  await signIn(parsed.data.provider, { redirectTo: parsed.data.callbackUrl });
  return Response.json({ error: "sign-in did not start" }, { status: 500 });
}
