"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { dismissAttentionBanner } from "@/lib/health/needs-attention";
import { emptySchema } from "@/lib/connections/schemas";

// Every export is a public endpoint: each is built on teamAction (session, team membership, role first).

/** Hides the Needs attention banner for the caller until a new problem appears. */
export const dismissAttentionBannerAction = teamAction({ schema: emptySchema, role: "member" }, async (ctx, _input, db) => {
  await dismissAttentionBanner(db, ctx);
  revalidatePath("/", "layout");
  return null;
});
