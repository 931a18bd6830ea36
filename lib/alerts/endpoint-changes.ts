import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db";
import { alertEndpoints } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { newWebhookSecret, sealWebhookSecret } from "./channels/webhook";
import { ENDPOINT, summary, teamEndpoint, type AlertEndpointSummary } from "./endpoints";
import { endpointEnabledSchema, webhookEndpointUpdateSchema, type EndpointEnabledInput, type WebhookEndpointUpdate } from "./schemas";

/**
 * Changes to an existing team endpoint: a webhook's URL, description and alerts; enabling or disabling
 * any endpoint; rotating a webhook's signing secret. Each is audited; none shows or logs a secret but the
 * new one, once, in the rotation's answer.
 */

/** How long the secret before a rotation keeps signing beside the new one (Standard Webhooks lets a message carry both). */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

const mine = (ctx: TeamContext, id: string) => and(eq(alertEndpoints.id, id), eq(alertEndpoints.teamId, ctx.team.id), isNull(alertEndpoints.userId));

export async function updateWebhookEndpoint(db: Database, ctx: TeamContext, input: WebhookEndpointUpdate): Promise<AlertEndpointSummary> {
  requireRole(ctx, "admin");
  const parsed = webhookEndpointUpdateSchema.parse(input);
  return db.transaction(async (tx) => {
    const before = await teamEndpoint(tx, ctx, parsed.id);
    if (before.channel !== "webhook") throw new NotFoundError(ENDPOINT);
    const [row] = await tx
      .update(alertEndpoints)
      .set({ target: parsed.url, description: parsed.description, events: parsed.events })
      .where(mine(ctx, parsed.id))
      .returning();
    await recordTeamAudit(tx, ctx, {
      action: "alert.endpoint_updated",
      target: { type: "alert_endpoint", id: parsed.id },
      metadata: {
        channel: "webhook",
        url: parsed.url,
        events: parsed.events,
        ...(before.target !== parsed.url ? { previousUrl: before.target } : {}),
      },
    });
    return summary(row);
  });
}

export async function setAlertEndpointEnabled(db: Database, ctx: TeamContext, input: EndpointEnabledInput): Promise<AlertEndpointSummary> {
  requireRole(ctx, "admin");
  const { id, enabled } = endpointEnabledSchema.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx.update(alertEndpoints).set({ enabled }).where(mine(ctx, id)).returning();
    if (!row) throw new NotFoundError(ENDPOINT);
    await recordTeamAudit(tx, ctx, {
      action: enabled ? "alert.endpoint_enabled" : "alert.endpoint_disabled",
      target: { type: "alert_endpoint", id },
      metadata: { channel: row.channel, target: row.target },
    });
    return summary(row);
  });
}

/**
 * A new signing secret for a webhook, shown once in the answer. The one it replaces keeps signing beside
 * it (two signatures in webhook-signature) for SECRET_ROTATION_OVERLAP_MS, so receivers can switch
 * without losing a message. Rotating again during the window drops the oldest secret at once.
 */
export async function rotateWebhookSecret(
  db: Database,
  ctx: TeamContext,
  endpointId: string,
  now = new Date(),
): Promise<{ endpoint: AlertEndpointSummary; secret: string; previousSecretValidUntil: Date }> {
  requireRole(ctx, "admin");
  const secret = newWebhookSecret();
  const previousSecretValidUntil = new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS);
  const row = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(alertEndpoints).where(mine(ctx, endpointId)).for("update");
    if (!current) throw new NotFoundError(ENDPOINT);
    if (current.channel !== "webhook" || !current.secret) throw new ServiceError("Only a webhook endpoint has a signing secret.", "conflict");
    const [row] = await tx
      .update(alertEndpoints)
      .set({
        ...sealWebhookSecret(ctx.team.id, endpointId, secret),
        previousSecret: current.secret,
        previousKeyId: current.keyId,
        previousSecretExpiresAt: previousSecretValidUntil,
      })
      .where(mine(ctx, endpointId))
      .returning();
    await recordTeamAudit(tx, ctx, {
      action: "alert.endpoint_secret_rotated",
      target: { type: "alert_endpoint", id: endpointId },
      metadata: { previousSecretValidUntil: previousSecretValidUntil.toISOString() },
    });
    return row;
  });
  return { endpoint: summary(row, now), secret, previousSecretValidUntil };
}
