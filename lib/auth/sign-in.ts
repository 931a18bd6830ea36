import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { burnPasswordCheck, verifyPassword } from "./password";
import { clearRateLimit, hitRateLimit, rateLimitRetryAfter, type RateLimitRule } from "./rate-limit";
import { passwordSignInRefused } from "@/lib/sso/sign-in-settings";
import { userActor } from "./team-context";

export const SIGN_IN_LIMITS = {
  account: { limit: 5, windowSeconds: 15 * 60 },
  ip: { limit: 50, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" }
  /** SSO-only mode: the password was right, but this account must use single sign-on. */
  | { ok: false; reason: "sso_only" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Checks an email and password, slowing down repeated failures per account and per IP. */
export async function authenticate(db: Executor, input: { email: string; password: string; ip: string }): Promise<SignInOutcome> {
  const email = input.email.trim().toLowerCase();
  const accountKey = `sign-in:account:${email}`;
  const ipKey = `sign-in:ip:${input.ip}`;
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`);

  const retryAfter = Math.max(
    await rateLimitRetryAfter(db, accountKey, SIGN_IN_LIMITS.account),
    await rateLimitRetryAfter(db, ipKey, SIGN_IN_LIMITS.ip),
  );
  if (retryAfter > 0) {
    await recordAudit(db, {
      teamId: null,
      actor: { kind: "user", userId: user?.id ?? null, email },
      action: "auth.sign_in_rate_limited",
      ip: input.ip,
    });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: retryAfter };
  }

  let valid = false;
  if (user) valid = await verifyPassword(user.passwordHash, input.password);
  else await burnPasswordCheck(input.password);
  if (!user || !valid) {
    await hitRateLimit(db, accountKey, SIGN_IN_LIMITS.account);
    await hitRateLimit(db, ipKey, SIGN_IN_LIMITS.ip);
    await recordAudit(db, {
      teamId: null,
      actor: { kind: "user", userId: user?.id ?? null, email },
      action: "auth.sign_in_failed",
      metadata: { reason: user ? "wrong_password" : "unknown_email" },
      ip: input.ip,
    });
    return { ok: false, reason: "invalid" };
  }
  await clearRateLimit(db, accountKey);
  // Only after the password is checked: a wrong one reads the same for every account, so the refusal does
  // not tell who the break-glass account is.
  if (await passwordSignInRefused(db, user.id)) {
    await recordAudit(db, { teamId: null, actor: userActor(user), action: "auth.password_refused_sso_only", ip: input.ip });
    return { ok: false, reason: "sso_only" };
  }
  await recordAudit(db, { teamId: null, actor: userActor(user), action: "auth.sign_in", ip: input.ip });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
