import "server-only";
import { customFetch, type Account, type Profile, type User } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import { cookies, headers } from "next/headers";
import { getDb, type Database } from "@/db";
import { clientIp } from "@/lib/auth/client-ip";
import { cookieIsSecure } from "@/lib/auth/cookie-security";
import { authProviderId } from "./config";
import { idTokenSignatureValid } from "./id-token";
import { completeSsoSignIn, consumePendingLink, PENDING_LINK_SECONDS, refuseSsoSignIn } from "./sign-in";
import { ssoFetch } from "./sso-fetch";
import { allSsoProviders, findSsoProvider } from "./stored-providers";

/** Holds the pending-link token between an SSO sign-in that matched a local account and its password sign-in. */
export const SSO_LINK_COOKIE = "pb_sso_link";

/** Auth.js providers for the configured OpenID Connect providers, environment's and admin page's (none when none is configured). */
export async function ssoAuthProviders(db: Database): Promise<OIDCConfig<Profile>[]> {
  return (await allSsoProviders(db)).map(({ provider }) => ({
    id: authProviderId(provider),
    name: provider.label,
    type: "oidc",
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    // Authorization code with PKCE (S256), state and nonce; Auth.js checks iss, aud, exp and nonce.
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: provider.scopes } },
    profile: (claims) => ({ id: claims.sub ?? undefined, email: claims.email, name: claims.name }),
    // Symbols are not merged from the provider's top level by Auth.js: only from its options.
    options: { [customFetch]: ssoFetch() },
  }));
}

/**
 * Auth.js's signIn callback for an SSO sign-in: verifies the ID token's signature, applies the provider's
 * rules and memberships, and makes the session's user the Plugboard account. A refusal sends the browser
 * back to the sign-in page with a code it explains.
 */
export async function ssoSignIn(params: { user: User; account?: Account | null; profile?: Profile }): Promise<boolean | string> {
  const db = await getDb();
  const provider = params.account ? await findSsoProvider(db, params.account.provider) : undefined;
  if (!provider || !params.profile) return false;
  const ip = clientIp(await headers());
  const refusedUrl = (reason: string) => `/sign-in?sso_error=${reason}`;
  if (!(await idTokenSignatureValid(provider, params.account?.id_token, ssoFetch()))) {
    await refuseSsoSignIn(db, provider, "id_token_invalid", null, ip);
    return refusedUrl("id_token_invalid");
  }
  const outcome = await completeSsoSignIn(db, provider, params.profile, ip);
  if (!outcome.ok) {
    if (outcome.linkToken) await setLinkCookie(outcome.linkToken);
    return refusedUrl(outcome.reason);
  }
  params.user.id = outcome.user.id;
  params.user.email = outcome.user.email;
  params.user.name = outcome.user.name;
  return true;
}

async function setLinkCookie(token: string) {
  (await cookies()).set(SSO_LINK_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: PENDING_LINK_SECONDS,
    secure: cookieIsSecure(await headers()),
  });
}

/** After a password sign-in: completes the SSO link this browser started, if any. */
export async function linkPendingSso(user: { id: string; email: string }, ip: string): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SSO_LINK_COOKIE)?.value;
  if (!token) return;
  jar.delete(SSO_LINK_COOKIE);
  await consumePendingLink(await getDb(), token, user, ip);
}

/** The buttons of the sign-in page. */
export async function ssoButtons(db: Database): Promise<Array<{ authId: string; label: string }>> {
  return (await allSsoProviders(db)).map(({ provider }) => ({ authId: authProviderId(provider), label: provider.label }));
}
