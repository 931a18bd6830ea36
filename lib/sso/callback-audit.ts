import "server-only";
import type { Database } from "@/db";
import { refuseSsoSignIn } from "./sign-in";
import { findSsoProvider } from "./stored-providers";

const SSO_CALLBACK_PATH = /^\/api\/auth\/callback\/(oidc-[a-z0-9-]+)$/;

/**
 * Auth.js refuses some callbacks itself, before Plugboard's signIn callback runs (a wrong `state`, an ID token
 * whose `nonce` or `iss` is wrong, an error answered by the provider), and sends the browser to the sign-in
 * page with `?error=`. Audited here, from the callback's answer, as an SSO refusal like the others.
 */
export async function auditRefusedSsoCallback(db: Database, requestUrl: string, location: string | null, ip: string | null): Promise<void> {
  const url = new URL(requestUrl);
  const authId = SSO_CALLBACK_PATH.exec(url.pathname)?.[1];
  if (!authId || !location || !new URL(location, url).searchParams.has("error")) return;
  const provider = await findSsoProvider(db, authId);
  if (provider) await refuseSsoSignIn(db, provider, "callback_failed", null, ip);
}
