import "server-only";
import type { z } from "zod";
import { getDb, type Database } from "@/db";
import type { TeamRole } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { findNul, NUL_MESSAGE } from "@/lib/validation/fields";
import { getTeamContext } from "./session";
import { hasRole, type TeamContext } from "./team-context";

import type { ActionResult } from "./action-result";

export type { ActionResult };

export function actionFailure(error: unknown): ActionResult<never> {
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

/**
 * The one way to build a server action that touches team data: the session, the team membership and
 * the role are checked before the input is even parsed, then the body runs with the checked context.
 */
export function teamAction<S extends z.ZodType, T>(
  options: { schema: S; role: TeamRole },
  body: (ctx: TeamContext, input: z.infer<S>, db: Database) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const ctx = await getTeamContext();
    if (!ctx) return { ok: false, error: "Your session has ended. Sign in again." };
    if (!hasRole(ctx, options.role)) return { ok: false, error: "Only team admins can do that." };
    // Fields built from lib/validation/fields.ts refuse NUL themselves; this catches it in free-form
    // values too (a flow step's spec, JSON), before any transform or the database sees it.
    const nul = findNul(input);
    if (nul) return { ok: false, error: "Check the highlighted fields.", fieldErrors: { [nul.join(".") || "_form"]: NUL_MESSAGE } };
    const parsed = options.schema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
    }
    try {
      return { ok: true, data: await body(ctx, parsed.data, await getDb()) };
    } catch (error) {
      return actionFailure(error);
    }
  };
}
