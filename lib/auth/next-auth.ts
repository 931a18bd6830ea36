import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { getEnv } from "@/lib/config/env";
import { signInSchema } from "./schemas";
import { authenticate } from "./sign-in";
import { authLogLine } from "./auth-log-line";
import { clientIp } from "./client-ip";
import { linkPendingSso, ssoAuthProviders, ssoSignIn } from "@/lib/sso/auth-providers";
import { sessionMaxAgeSeconds } from "@/lib/sso/session-lifetime";
import { sessionVersionOf } from "./session-version";

export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
}

/** SSO-only mode refused a right password (lib/sso/sign-in-settings.ts). */
export class PasswordSignInOff extends CredentialsSignin {
  code = "password_sign_in_off";
}

declare module "next-auth" {
  interface Session {
    /** The account's session version when this session began (lib/auth/session-version.ts). */
    sessionVersion?: number;
  }
}

// Lazy configuration: the secret is read at request time, so `next build` needs no environment.
const config = (ssoProviders: NextAuthConfig["providers"]): NextAuthConfig => ({
  secret: getEnv().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds() },
  // A callback Auth.js refuses (wrong state, nonce or issuer) comes back to the sign-in page, which says so.
  pages: { signIn: "/sign-in", error: "/sign-in" },
  logger: {
    // Never log request details: one line naming the kind of failure.
    error(error) {
      const line = authLogLine(error);
      if (line) console.error(line);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const outcome = await authenticate(await getDb(), { ...parsed.data, ip: clientIp(request.headers) });
        if (outcome.ok) {
          // A pending SSO link started in this browser for this account is completed by this password sign-in.
          await linkPendingSso(outcome.user, clientIp(request.headers));
          return outcome.user;
        }
        if (outcome.reason === "rate_limited") throw new RateLimitedSignIn(outcome.retryAfterSeconds);
        if (outcome.reason === "sso_only") throw new PasswordSignInOff();
        return null;
      },
    }),
    ...ssoProviders,
  ],
  callbacks: {
    signIn(params) {
      return params.account?.type === "oidc" ? ssoSignIn(params) : true;
    },
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sessionVersion = await sessionVersionOf(await getDb(), user.id);
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.sessionVersion === "number") session.sessionVersion = token.sessionVersion;
      return session;
    },
  },
});

// Starting a sign-in and Auth.js's routes (the callback above all) need the SSO providers: the environment's
// and the admin page's, read from the database at each such request, so an edit applies on every instance at once.
export const { handlers, signIn } = NextAuth(async () => config(await ssoAuthProviders(await getDb())));

// Reading the session (every page render) and signing out only decode or clear the session cookie: no
// provider is needed, so none is read. The same secret, cookies and callbacks as above.
export const { auth, signOut } = NextAuth(() => config([]));
