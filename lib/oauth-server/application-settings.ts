import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { oauthClients } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError } from "@/lib/errors/service-error";
import type { ApplicationSettingsInput } from "./schemas";

/**
 * Sets an application's lifetimes: of its new secrets (existing ones keep their expiry) and of the tokens
 * it is issued from now on. Null takes the instance default.
 */
export async function updateApplicationSettings(db: Database, ctx: TeamContext, input: ApplicationSettingsInput): Promise<void> {
  requireRole(ctx, "admin");
  const { applicationId, ...settings } = input;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(oauthClients)
      .set(settings)
      .where(and(eq(oauthClients.id, applicationId), eq(oauthClients.teamId, ctx.team.id), eq(oauthClients.configuredBy, "customer")))
      .returning({ id: oauthClients.id, name: oauthClients.name, clientId: oauthClients.clientId });
    if (!row) throw new NotFoundError("That application");
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_updated",
      target: { type: "oauth_client", id: row.id },
      metadata: { name: row.name, clientId: row.clientId, ...settings },
    });
  });
}
