import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { users } from "@/db/schema";

/**
 * Sessions are signed cookies (Auth.js's JWT strategy), which no server can revoke. Each carries the
 * account's session version from when it began; "End all sessions" raises the version in the database,
 * and the session is checked against it wherever it is read (lib/auth/session.ts), so every instance
 * refuses the older cookies at their next request.
 */

export async function sessionVersionOf(db: Executor, userId: string): Promise<number | null> {
  const [row] = await db.select({ version: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row?.version ?? null;
}

/** A session that began before sessions were versioned carries none: it counts as version 0. */
export async function sessionIsCurrent(db: Executor, userId: string, carried: number | undefined): Promise<boolean> {
  const current = await sessionVersionOf(db, userId);
  return current !== null && current === (carried ?? 0);
}
