import "server-only";
import { asc } from "drizzle-orm";
import type { Executor } from "@/db";
import { users } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors/service-error";

/**
 * The instance admin: the account `/setup` created, which is the first account of the install (setup runs
 * only while there is none, and accounts are never deleted). Every other instance-wide setting comes from the
 * environment; sign-in settings (single sign-on providers, SSO-only mode) are the one thing this account
 * changes from a page. Team admins are not instance admins.
 */
export async function instanceAdminId(db: Executor): Promise<string | null> {
  const [first] = await db.select({ id: users.id }).from(users).orderBy(asc(users.createdAt), asc(users.id)).limit(1);
  return first?.id ?? null;
}

export async function isInstanceAdmin(db: Executor, userId: string): Promise<boolean> {
  return (await instanceAdminId(db)) === userId;
}

export async function requireInstanceAdmin(db: Executor, userId: string): Promise<void> {
  if (!(await isInstanceAdmin(db, userId))) throw new ForbiddenError("Only the instance admin (the account that set Plugboard up) can do that.");
}
