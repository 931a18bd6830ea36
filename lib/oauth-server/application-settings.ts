import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { oauthClients } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError } from "@/lib/errors/service-error";
import type { ClientAuthMethod } from "./client-auth-methods";
import { assertEditableByHand, findTeamClient } from "./system-clients";
import { type ClientKeySet, clientKeyColumns } from "./client-keys-schema";
import type { ApplicationAuthInput, ApplicationSettingsInput } from "./schemas";

/**
 * Sets an application's lifetimes: of its new secrets (existing ones keep their expiry) and of the tokens
 * it is issued from now on. Null takes the instance default.
 */
export async function updateApplicationSettings(db: Database, ctx: TeamContext, input: ApplicationSettingsInput): Promise<void> {
  const { applicationId, ...settings } = input;
  await patchApplication(db, ctx, applicationId, settings);
}

/**
 * Sets how an application authenticates: a client secret (basic or post) or private_key_jwt with its
 * public keys (a JWK Set, or the URL it is published at). Its secrets are kept either way, so switching
 * back to a secret method needs no new one.
 */
export async function updateApplicationAuth(db: Database, ctx: TeamContext, input: ApplicationAuthInput): Promise<void> {
  await patchApplication(db, ctx, input.applicationId, { auth: { authMethod: input.authMethod, ...clientKeyColumns(input) } });
}

/** What may change of an application at once (the REST API, the Lifetimes and Authentication dialogs); each absent field is kept. */
export type ApplicationPatch = {
  secretLifetimeDays?: number | null;
  accessTokenTtlSeconds?: number | null;
  refreshTokenTtlSeconds?: number | null;
  accessTokenFormat?: "opaque" | "jwt";
  /** The method with its keys (both null unless private_key_jwt), checked by checkClientKeys. */
  auth?: { authMethod: ClientAuthMethod; jwks: ClientKeySet | null; jwksUri: string | null };
};

/** Changes the given settings of a customer-configured application of the team, audited as one change: the one write behind every settings change. */
export async function patchApplication(db: Database, ctx: TeamContext, applicationId: string, patch: ApplicationPatch): Promise<void> {
  requireRole(ctx, "admin");
  const { auth, ...settings } = patch;
  const changes = { ...settings, ...auth };
  await db.transaction(async (tx) => {
    assertEditableByHand(ctx, await findTeamClient(tx, ctx, applicationId));
    const where = and(eq(oauthClients.id, applicationId), eq(oauthClients.teamId, ctx.team.id), eq(oauthClients.configuredBy, "customer"));
    const returning = { id: oauthClients.id, name: oauthClients.name, clientId: oauthClients.clientId };
    const [row] =
      Object.keys(changes).length > 0
        ? await tx.update(oauthClients).set(changes).where(where).returning(returning)
        : await tx.select(returning).from(oauthClients).where(where);
    if (!row) throw new NotFoundError("That application");
    if (Object.keys(changes).length === 0) return;
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_updated",
      target: { type: "oauth_client", id: row.id },
      metadata: {
        name: row.name,
        clientId: row.clientId,
        ...settings,
        ...(auth ? { authMethod: auth.authMethod, jwksUri: auth.jwksUri, jwksKeys: auth.jwks?.keys.length ?? null } : {}),
      },
    });
  });
}
