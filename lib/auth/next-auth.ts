import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { getEnv } from "@/lib/config/env";
import { signInSchema } from "./schemas";
import { authenticate } from "./sign-in";
import { authLogLine } from "./auth-log-line";
import { clientIp } from "./client-ip";

export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
}

// Lazy configuration: the secret is read at request time, so `next build` needs no environment.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getEnv().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/sign-in" },
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
        if (outcome.ok) return outcome.user;
        if (outcome.reason === "rate_limited") throw new RateLimitedSignIn(outcome.retryAfterSeconds);
        return null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
