import "server-only";
import { unstable_rethrow } from "next/navigation";
import { headers } from "next/headers";
import type { z } from "zod";
import { getDb, type Database } from "@/db";
import type { TeamRole } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { findNul, NUL_MESSAGE } from "@/lib/validation/fields";
import { clientIp } from "./client-ip";
import { getSessionActor, getTeamContext } from "./session";
import { hasRole, type Actor, type TeamContext } from "./team-context";

import type { ActionResult } from "./action-result";

export type { ActionResult };

/**
 * Every `"use server"` export is built by one of three wrappers, by who may call it:
 * - `teamAction`: a member of the current team with at least a role (team data);
 * - `userAction`: any signed-in user, whatever their teams (profile, creating a team, joining one);
 * - `publicAction`: anyone, before a session exists (setup, sign-up by invitation, sign-out).
 * Each checks the caller before it parses the input, then runs the body with the checked context and
 * turns a ServiceError into a form error (lib/auth/actions.test.ts refuses a raw export).
 */

/** A signed-in user acting on their own behalf, outside any team. */
export type UserContext = { readonly actor: Actor; readonly ip: string };
/** Nobody is signed in (or it does not matter): only where the call came from. */
export type PublicContext = { readonly ip: string };

export function actionFailure(error: unknown): ActionResult<never> {
  // Next's redirect() / notFound() are thrown: they must reach the framework, not become a form error.
  unstable_rethrow(error);
  if (error instanceof ServiceError) return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
  // Unexpected: log the type and message only (inputs may hold secrets) and answer generically.
  console.error("[plugboard] action failed:", error instanceof Error ? `${error.name}: ${error.message}` : "unknown error");
  return { ok: false, error: "Something went wrong on the server. Please try again." };
}

export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

type Caller<C> = { ok: true; ctx: C } | { ok: false; error: string };
type ActionBody<C, S extends z.ZodType, T> = (ctx: C, input: z.infer<S>, db: Database) => Promise<T>;

function buildAction<C, S extends z.ZodType, T>(
  checkCaller: () => Promise<Caller<C>>,
  schema: S,
  body: ActionBody<C, S, T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const caller = await checkCaller();
    if (!caller.ok) return { ok: false, error: caller.error };
    // Fields built from lib/validation/fields.ts refuse NUL themselves; this catches it in free-form
    // values too (a flow step's spec, JSON), before any transform or the database sees it.
    const nul = findNul(input);
    if (nul) return { ok: false, error: "Check the highlighted fields.", fieldErrors: { [nul.join(".") || "_form"]: NUL_MESSAGE } };
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
    }
    try {
      return { ok: true, data: await body(caller.ctx, parsed.data, await getDb()) };
    } catch (error) {
      return actionFailure(error);
    }
  };
}

const SESSION_ENDED = "Your session has ended. Sign in again.";

/**
 * The one way to build a server action that touches team data: the session, the team membership and
 * the role are checked before the input is even parsed, then the body runs with the checked context.
 */
export function teamAction<S extends z.ZodType, T>(
  options: { schema: S; role: TeamRole },
  body: ActionBody<TeamContext, S, T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return buildAction(
    async (): Promise<Caller<TeamContext>> => {
      const ctx = await getTeamContext();
      if (!ctx) return { ok: false, error: SESSION_ENDED };
      if (!hasRole(ctx, options.role)) return { ok: false, error: "Only team admins can do that." };
      return { ok: true, ctx };
    },
    options.schema,
    body,
  );
}

/** A signed-in user's own action (no team needed: they may have none yet). Services filter by the actor. */
export function userAction<S extends z.ZodType, T>(
  options: { schema: S },
  body: ActionBody<UserContext, S, T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return buildAction(
    async (): Promise<Caller<UserContext>> => {
      const actor = await getSessionActor();
      if (!actor) return { ok: false, error: SESSION_ENDED };
      return { ok: true, ctx: { actor, ip: clientIp(await headers()) } };
    },
    options.schema,
    body,
  );
}

/** An action open to anyone (its service does its own checks: setup only once, a valid invitation…). */
export function publicAction<S extends z.ZodType, T>(
  options: { schema: S },
  body: ActionBody<PublicContext, S, T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return buildAction(async (): Promise<Caller<PublicContext>> => ({ ok: true, ctx: { ip: clientIp(await headers()) } }), options.schema, body);
}
