import "server-only";
import { and, desc, eq, lt, notInArray, sql } from "drizzle-orm";
import type { SerializedCookieJar } from "tough-cookie";
import type { Database } from "@/db";
import { builderCookieJars } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { getKeyring } from "@/lib/connections/secrets";
import { DecryptionError, decryptJson, encryptJson } from "@/lib/crypto";
import { RunCookieJar } from "@/lib/http/cookie-jar";
import { MASK } from "@/lib/http/mask";
import type { CookieSummary } from "@/lib/http/types";
import { type BuilderJarKey, builderJarAad } from "./builder-jar-aad";

/**
 * The request builder's "Keep cookies between requests": a cookie jar per user, team and builder session,
 * stored between runs (a run may land on any app process) as an encrypted envelope bound to those three.
 * Bounded: a jar holds what RunCookieJar holds (100 cookies of at most 4 KiB), a user keeps at most
 * MAX_JARS_PER_USER jars per team (the least recently used goes), and a jar unused for JAR_IDLE_MS is gone:
 * read as empty at once, and deleted by the maintenance job. Runs of one session at the same time each
 * start from the jar as it was stored, and the last to finish is kept.
 */
export const JAR_IDLE_MS = 60 * 60_000;
export const MAX_JARS_PER_USER = 10;

const keyOf = (ctx: TeamContext, sessionId: string): BuilderJarKey => ({ teamId: ctx.team.id, userId: ctx.actor.id, sessionId });
const owned = (key: BuilderJarKey) =>
  and(eq(builderCookieJars.teamId, key.teamId), eq(builderCookieJars.userId, key.userId), eq(builderCookieJars.sessionId, key.sessionId));

/** The session's jar as stored, or an empty one (none yet, idle too long, or sealed under a key no longer configured). */
export async function openBuilderJar(db: Database, ctx: TeamContext, sessionId: string, now = new Date()): Promise<RunCookieJar> {
  const key = keyOf(ctx, sessionId);
  const [row] = await db.select().from(builderCookieJars).where(owned(key));
  if (!row || row.usedAt.getTime() <= now.getTime() - JAR_IDLE_MS) return new RunCookieJar();
  try {
    return await RunCookieJar.restore(decryptJson<SerializedCookieJar>(getKeyring(), row.jar, builderJarAad(key)));
  } catch (error) {
    // A jar is a convenience that lives an hour: one that cannot be read (a retired key) starts over.
    if (!(error instanceof DecryptionError)) throw error;
    console.warn(`[plugboard] a request-builder cookie jar could not be read (${error.reason}); starting it empty`);
    return new RunCookieJar();
  }
}

/** Stores the session's jar after a run (its idle time starts again), dropping the user's least recently used jars past the bound. */
export async function saveBuilderJar(db: Database, ctx: TeamContext, sessionId: string, jar: RunCookieJar, now = new Date()): Promise<void> {
  const key = keyOf(ctx, sessionId);
  const keyring = getKeyring();
  const sealed = encryptJson(keyring, await jar.serialize(), builderJarAad(key));
  await db
    .insert(builderCookieJars)
    .values({ ...key, jar: sealed, keyId: keyring.currentKeyId, usedAt: now })
    .onConflictDoUpdate({
      target: [builderCookieJars.teamId, builderCookieJars.userId, builderCookieJars.sessionId],
      set: { jar: sealed, keyId: keyring.currentKeyId, usedAt: now },
    });
  const mine = and(eq(builderCookieJars.teamId, key.teamId), eq(builderCookieJars.userId, key.userId));
  const kept = db
    .select({ sessionId: builderCookieJars.sessionId })
    .from(builderCookieJars)
    .where(mine)
    .orderBy(desc(builderCookieJars.usedAt))
    .limit(MAX_JARS_PER_USER);
  await db.delete(builderCookieJars).where(and(mine, notInArray(builderCookieJars.sessionId, kept)));
}

/**
 * The jar as the builder lists it. Cookie values are secrets for display (a session cookie is a credential):
 * every value shows as ••••••; names, domains, paths, flags and expiry are shown.
 */
export async function listBuilderCookies(jar: RunCookieJar): Promise<CookieSummary[]> {
  return (await jar.list()).map((c) => ({ ...c, value: MASK }));
}

/** The live cookie values of a jar, which the run's answer and history mask wherever they appear. */
export async function builderCookieValues(jar: RunCookieJar): Promise<string[]> {
  return (await jar.list()).map((c) => c.value);
}

/** The session's cookies as listed, for the builder opened again in the same tab. */
export async function getBuilderCookies(db: Database, ctx: TeamContext, sessionId: string): Promise<CookieSummary[]> {
  return listBuilderCookies(await openBuilderJar(db, ctx, sessionId));
}

/** Empties the session's jar (the builder's Clear). */
export async function clearBuilderCookies(db: Database, ctx: TeamContext, sessionId: string): Promise<void> {
  await db.delete(builderCookieJars).where(owned(keyOf(ctx, sessionId)));
}

/** Deletes the jars unused for the idle time (the hourly maintenance job). */
export async function pruneBuilderCookieJars(db: Database, now: Date): Promise<number> {
  const deleted = await db
    .delete(builderCookieJars)
    .where(lt(builderCookieJars.usedAt, sql`${new Date(now.getTime() - JAR_IDLE_MS).toISOString()}::timestamptz`))
    .returning({ sessionId: builderCookieJars.sessionId });
  return deleted.length;
}
