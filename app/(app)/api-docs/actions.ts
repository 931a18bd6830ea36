"use server";
import { teamAction } from "@/lib/auth/action";
import { tryItTokenSchema } from "@/lib/oauth-server/schemas";
import { issueTryItToken } from "@/lib/oauth-server/system-clients";

/** A short-lived token for Try it: the signed-in member's, in the current team, with the operation's scope. */
export const tryItTokenAction = teamAction({ schema: tryItTokenSchema, role: "member" }, async (ctx, input, db) =>
  issueTryItToken(db, ctx, input.scope),
);
