"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { deleteSavedRequest, getRun, saveRequest } from "@/lib/requests";
import { curlWithCredentials } from "@/lib/requests/curl-with-credentials";
import { clearBuilderCookies, getBuilderCookies } from "@/lib/requests/builder-cookies";
import { builderSessionSchema, historyEntrySchema, runRequestSchema, savedRequestIdSchema, saveRequestSchema } from "@/lib/requests/schemas";

export const saveRequestAction = teamAction({ schema: saveRequestSchema, role: "member" }, async (ctx, input, db) => {
  const saved = await saveRequest(db, ctx, input);
  revalidatePath("/requests");
  return saved;
});

export const deleteSavedRequestAction = teamAction({ schema: savedRequestIdSchema, role: "member" }, async (ctx, input, db) => {
  await deleteSavedRequest(db, ctx, input.savedRequestId);
  revalidatePath("/requests");
  return null;
});

/** The stored (masked) request of a history entry, to load into the form and run again. */
export const openRunAction = teamAction({ schema: historyEntrySchema, role: "member" }, async (ctx, input, db) => {
  const run = await getRun(db, ctx, input.runId);
  return { connectionId: run.connectionId, spec: run.spec };
});

/** The request as cURL with the connection's credentials applied and masked. */
export const curlForRequestAction = teamAction({ schema: runRequestSchema, role: "member" }, async (ctx, input, db) => {
  return curlWithCredentials(db, ctx, input);
});

/** The builder session's kept cookies (values masked), for the builder opened again in the same tab. */
export const builderCookiesAction = teamAction({ schema: builderSessionSchema, role: "member" }, async (ctx, input, db) => {
  return getBuilderCookies(db, ctx, input.session);
});

/** Empties the builder session's cookie jar. */
export const clearBuilderCookiesAction = teamAction({ schema: builderSessionSchema, role: "member" }, async (ctx, input, db) => {
  await clearBuilderCookies(db, ctx, input.session);
  return null;
});
