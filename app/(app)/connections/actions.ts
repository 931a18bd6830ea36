"use server";
import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { teamAction } from "@/lib/auth/action";
import {
  deleteConnection,
  discoverProvider,
  getConnection,
  renewClientCredentials,
  saveConnection,
  startAuthorization,
  startReauthorization,
  needsConsent,
  verifyConnection,
} from "@/lib/connections";
import { dismissNoticeSchema } from "@/lib/connections/notice";
import { connectionIdSchema, discoverSchema, reauthorizeSchema, saveConnectionSchema, type SaveConnectionOutcome } from "@/lib/connections/schemas";

// Every export is a public endpoint: each is built on teamAction (session, team membership, role first).

/**
 * Saves a new or edited connection, checked first (test on save) unless `skipCheck` (Save anyway); for
 * authorization code the result is the provider's consent URL (which comes back to `returnPath` if given).
 */
export const saveConnectionAction = teamAction(
  { schema: saveConnectionSchema, role: "member" },
  async (ctx, { connectionId, input, skipCheck, returnPath }, db): Promise<SaveConnectionOutcome> => {
    if (needsConsent(input.type)) {
      const { redirectUrl } = await startAuthorization(db, ctx, { mode: connectionId ? "edit" : "create", connectionId, input, returnPath });
      return { outcome: "consent", redirectUrl, id: connectionId ?? null, check: null };
    }
    const result = await saveConnection(db, ctx, { connectionId, input, check: !skipCheck });
    if (!result.saved) {
      const check = { ok: false as const, message: result.check.message, at: result.check.at.toISOString() };
      return { outcome: "check_failed", redirectUrl: null, id: connectionId ?? null, check };
    }
    revalidatePath("/connections");
    const check = result.check && { ok: result.check.ok, message: result.check.message, at: result.check.at.toISOString() };
    return { outcome: "saved", redirectUrl: null, id: result.id, check };
  },
);

/** The edit form's prefill: non-secret fields only. */
export const loadConnectionFormAction = teamAction({ schema: connectionIdSchema, role: "member" }, async (ctx, { connectionId }, db) => {
  const detail = await getConnection(db, ctx, connectionId);
  return detail.formDefaults;
});

export const verifyConnectionAction = teamAction({ schema: connectionIdSchema, role: "member" }, async (ctx, { connectionId }, db) => {
  const result = await verifyConnection(db, ctx, connectionId);
  revalidatePath("/connections");
  return { ok: result.ok, message: result.message, at: result.at.toISOString() };
});

/** Authorization code: a new consent (the result is its URL); client credentials: a new token now. */
export const reauthorizeConnectionAction = teamAction(
  { schema: reauthorizeSchema, role: "member" },
  async (ctx, { connectionId, returnPath }, db) => {
    const detail = await getConnection(db, ctx, connectionId);
    if (detail.reauthorize === "consent")
      return { redirectUrl: (await startReauthorization(db, ctx, connectionId, returnPath)).redirectUrl, ok: true, message: "" };
    const result = await renewClientCredentials(db, ctx, connectionId);
    revalidatePath("/connections");
    return { redirectUrl: null, ok: result.ok, message: result.message };
  },
);

export const deleteConnectionAction = teamAction({ schema: connectionIdSchema, role: "member" }, async (ctx, { connectionId }, db) => {
  await deleteConnection(db, ctx, connectionId);
  revalidatePath("/connections");
  return null;
});

export const discoverProviderAction = teamAction({ schema: discoverSchema, role: "member" }, async (ctx, { issuerUrl }) => {
  return discoverProvider(ctx, issuerUrl);
});

/** Forgets the OAuth callback's message once the Connections tab has shown it. */
export const dismissConnectionNoticeAction = teamAction({ schema: dismissNoticeSchema, role: "member" }, async (_ctx, { cookie }) => {
  (await cookies()).delete(cookie);
  return null;
});
