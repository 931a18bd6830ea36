import "server-only";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { eq } from "drizzle-orm";
import { users, type TeamRole } from "@/db/schema";
import { clientIp } from "./client-ip";
import { auth } from "./next-auth";
import { sessionIsCurrent } from "./session-version";
import { needsSetup } from "./setup";
import { ServiceError } from "@/lib/errors/service-error";
import { hasRole, resolveTeamContext, type Actor, type TeamContext } from "./team-context";

export const CURRENT_TEAM_COOKIE = "pb_team";

/** The signed-in user's id, unless their sessions were ended after this one began (lib/auth/session-version.ts). */
export const getSessionUserId = cache(async (): Promise<string | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return (await sessionIsCurrent(await getDb(), userId, session.sessionVersion)) ? userId : null;
});

/** The signed-in user, whether or not they belong to a team yet. */
export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const userId = await getSessionUserId();
  if (!userId) return null;
  const [user] = await (await getDb()).select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  return user ?? null;
});

/** The signed-in user's context in their current team, or null (signed out, or no team). */
export const getTeamContext = cache(async (): Promise<TeamContext | null> => {
  const userId = await getSessionUserId();
  if (!userId) return null;
  const preferred = (await cookies()).get(CURRENT_TEAM_COOKIE)?.value;
  return resolveTeamContext(await getDb(), userId, preferred, clientIp(await headers()));
});

/**
 * Where a signed-out visitor of any page goes: /setup while the install has no account yet (a sign-in
 * page would tell them to ask an admin who does not exist), else /sign-in.
 */
export async function redirectSignedOut(): Promise<never> {
  redirect((await needsSetup(await getDb())) ? "/setup" : "/sign-in");
}

/**
 * For pages: signed out goes to sign-in (or setup on a fresh install); a role that is too low gets a 404. Admin pages ask for the member
 * context instead and show components/auth/admins-only.tsx to members, who may know the page exists.
 */
export async function requirePageContext(role: TeamRole = "member"): Promise<TeamContext> {
  const ctx = await getTeamContext();
  if (!ctx) return (await getSessionActor()) ? redirect("/teams/new") : redirectSignedOut();
  if (!hasRole(ctx, role)) notFound();
  return ctx;
}

/** For pages: a record the service could not find (or that belongs to another team) is a 404 page. */
export function orNotFound<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  });
}
