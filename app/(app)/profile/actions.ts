"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { getDb } from "@/db";
import { actionFailure, type ActionResult } from "@/lib/auth/action";
import { clientIp } from "@/lib/auth/client-ip";
import { getSessionActor } from "@/lib/auth/session";
import { revokeConsent } from "@/lib/oauth-server/consents";
import { consentIdSchema } from "@/lib/oauth-server/schemas";

/** A consent belongs to the user, not to a team: the session is the check, and the query filters by user. */
export async function revokeConsentAction(input: { consentId: string }): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return { ok: false, error: "Your session has ended. Sign in again." };
  const parsed = consentIdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Choose an application." };
  try {
    await revokeConsent(await getDb(), actor, parsed.data.consentId, clientIp(await headers()));
    revalidatePath("/profile");
    return { ok: true, data: null, message: "Access revoked." };
  } catch (error) {
    return actionFailure(error);
  }
}
