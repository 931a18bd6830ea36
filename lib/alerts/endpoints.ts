import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { alertDeliveries, alertEndpoints, alertEvents, teamAlertSettings, type AlertEndpointRow } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { CHANNELS } from "./channels";
import { newWebhookSecret, sealWebhookSecret } from "./channels/webhook";
import { type AlertChannel, type AlertKind, personalAlertKinds } from "./events";
import { flowFailureStreak } from "./flow-failures";
import { enqueueDeliveries } from "./queue";
import { recordAlert } from "./raise";
import {
  emailRecipientInputSchema,
  personalAlertsInputSchema,
  teamAlertSettingsInputSchema,
  webhookEndpointInputSchema,
  type EmailRecipientInput,
  type PersonalAlertsInput,
  type TeamAlertSettingsInput,
  type WebhookEndpointInput,
} from "./schemas";

/** A team endpoint as pages and the API show it: never its secret. */
export type AlertEndpointSummary = {
  id: string;
  channel: AlertChannel;
  target: string;
  description: string;
  events: AlertKind[];
  /** A disabled endpoint receives no new alert. */
  enabled: boolean;
  /** Until when the secret before the last rotation still signs too (null: no rotation under way). */
  previousSecretValidUntil: Date | null;
  createdAt: Date;
};

export type AlertDeliverySummary = {
  id: string;
  alertId: string;
  kind: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export const ENDPOINT = "That alert endpoint";
const MAX_TEAM_ENDPOINTS = 50;

export function summary(row: AlertEndpointRow, now = new Date()): AlertEndpointSummary {
  const rotating = row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now;
  return {
    id: row.id,
    channel: row.channel as AlertChannel,
    target: row.target ?? "",
    description: row.description,
    events: row.events as AlertKind[],
    enabled: row.enabled,
    previousSecretValidUntil: rotating ? row.previousSecretExpiresAt : null,
    createdAt: row.createdAt,
  };
}

/** Why each channel cannot be used on this instance (null: usable); the settings pages hide those channels. */
export function channelAvailability(): Record<AlertChannel, string | null> {
  return { email: CHANNELS.email.unavailableReason(), webhook: CHANNELS.webhook.unavailableReason() };
}

export async function listTeamEndpoints(db: Executor, ctx: TeamContext): Promise<AlertEndpointSummary[]> {
  requireRole(ctx, "admin");
  const rows = await db
    .select()
    .from(alertEndpoints)
    .where(and(eq(alertEndpoints.teamId, ctx.team.id), isNull(alertEndpoints.userId)))
    .orderBy(alertEndpoints.createdAt, alertEndpoints.id);
  return rows.map((row) => summary(row));
}

async function assertRoom(db: Executor, ctx: TeamContext) {
  const rows = await db
    .select({ id: alertEndpoints.id })
    .from(alertEndpoints)
    .where(and(eq(alertEndpoints.teamId, ctx.team.id), isNull(alertEndpoints.userId)))
    .limit(MAX_TEAM_ENDPOINTS);
  if (rows.length >= MAX_TEAM_ENDPOINTS)
    throw new ServiceError(`A team has at most ${MAX_TEAM_ENDPOINTS} alert endpoints; delete one first.`, "conflict");
}

/** Adds a webhook endpoint; its signing secret is in the answer, once, and stored only encrypted. */
export async function createWebhookEndpoint(
  db: Database,
  ctx: TeamContext,
  input: WebhookEndpointInput,
): Promise<{ endpoint: AlertEndpointSummary; secret: string }> {
  requireRole(ctx, "admin");
  const parsed = webhookEndpointInputSchema.parse(input);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const row = await db.transaction(async (tx) => {
    await assertRoom(tx, ctx);
    const [row] = await tx
      .insert(alertEndpoints)
      .values({
        id,
        teamId: ctx.team.id,
        channel: "webhook",
        target: parsed.url,
        description: parsed.description,
        events: parsed.events,
        ...sealWebhookSecret(ctx.team.id, id, secret),
        createdBy: ctx.actor.id,
      })
      .returning();
    await recordTeamAudit(tx, ctx, {
      action: "alert.endpoint_created",
      target: { type: "alert_endpoint", id },
      metadata: { channel: "webhook", url: parsed.url, events: parsed.events },
    });
    return row;
  });
  return { endpoint: summary(row), secret };
}

export async function createEmailRecipient(db: Database, ctx: TeamContext, input: EmailRecipientInput): Promise<AlertEndpointSummary> {
  requireRole(ctx, "admin");
  const parsed = emailRecipientInputSchema.parse(input);
  const unavailable = CHANNELS.email.unavailableReason();
  if (unavailable) throw new ServiceError(unavailable, "conflict");
  const row = await db.transaction(async (tx) => {
    await assertRoom(tx, ctx);
    const [row] = await tx
      .insert(alertEndpoints)
      .values({ teamId: ctx.team.id, channel: "email", target: parsed.address, events: parsed.events, createdBy: ctx.actor.id })
      .returning();
    await recordTeamAudit(tx, ctx, {
      action: "alert.endpoint_created",
      target: { type: "alert_endpoint", id: row.id },
      metadata: { channel: "email", address: parsed.address, events: parsed.events },
    });
    return row;
  });
  return summary(row);
}

export async function deleteAlertEndpoint(db: Database, ctx: TeamContext, endpointId: string): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(alertEndpoints)
      .where(and(eq(alertEndpoints.id, endpointId), eq(alertEndpoints.teamId, ctx.team.id), isNull(alertEndpoints.userId)))
      .returning();
    if (!gone) throw new NotFoundError(ENDPOINT);
    await recordTeamAudit(tx, ctx, {
      action: "alert.endpoint_deleted",
      target: { type: "alert_endpoint", id: endpointId },
      metadata: { channel: gone.channel, target: gone.target },
    });
  });
}

export async function teamEndpoint(db: Executor, ctx: TeamContext, endpointId: string): Promise<AlertEndpointRow> {
  const [row] = await db
    .select()
    .from(alertEndpoints)
    .where(and(eq(alertEndpoints.id, endpointId), eq(alertEndpoints.teamId, ctx.team.id), isNull(alertEndpoints.userId)));
  if (!row) throw new NotFoundError(ENDPOINT);
  return row;
}

export async function getTeamEndpoint(db: Executor, ctx: TeamContext, endpointId: string): Promise<AlertEndpointSummary> {
  requireRole(ctx, "admin");
  return summary(await teamEndpoint(db, ctx, endpointId));
}

/** "Send test event": a test alert to this endpoint alone, delivered (and retried) like any alert. */
export async function sendTestAlert(db: Database, ctx: TeamContext, endpointId: string): Promise<{ deliveryId: string }> {
  requireRole(ctx, "admin");
  const endpoint = await teamEndpoint(db, ctx, endpointId);
  const unavailable = CHANNELS[endpoint.channel as AlertChannel]?.unavailableReason();
  if (unavailable) throw new ServiceError(unavailable, "conflict");
  const ids = await db.transaction((tx) => recordAlert(tx, ctx.team.id, { kind: "alert.test", endpointId }));
  await enqueueDeliveries(ids);
  if (!ids[0]) throw new ServiceError("The test event could not be queued.");
  return { deliveryId: ids[0] };
}

/** An endpoint's delivery log, newest first (bounded: see retention.ts). */
export async function listDeliveries(db: Executor, ctx: TeamContext, endpointId: string, limit = 50): Promise<AlertDeliverySummary[]> {
  requireRole(ctx, "admin");
  await teamEndpoint(db, ctx, endpointId);
  return db
    .select({
      id: alertDeliveries.id,
      alertId: alertDeliveries.alertId,
      kind: alertEvents.kind,
      status: alertDeliveries.status,
      attempts: alertDeliveries.attempts,
      responseStatus: alertDeliveries.responseStatus,
      lastError: alertDeliveries.lastError,
      createdAt: alertDeliveries.createdAt,
      updatedAt: alertDeliveries.updatedAt,
    })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.alertId))
    .where(and(eq(alertDeliveries.endpointId, endpointId), eq(alertDeliveries.teamId, ctx.team.id)))
    .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.id))
    .limit(Math.min(Math.max(limit, 1), 100));
}

/** The alerts the caller receives by email in the current team (empty: none). */
export async function getPersonalAlerts(db: Executor, ctx: TeamContext): Promise<AlertKind[]> {
  const [row] = await db
    .select({ events: alertEndpoints.events })
    .from(alertEndpoints)
    .where(and(eq(alertEndpoints.teamId, ctx.team.id), eq(alertEndpoints.userId, ctx.actor.id), eq(alertEndpoints.channel, "email")));
  // A choice made while an admin is not shown (nor sent, recordAlert) once the role no longer allows it.
  const allowed = personalAlertKinds(ctx.role);
  return ((row?.events ?? []) as AlertKind[]).filter((kind) => allowed.includes(kind));
}

/** Sets which alerts the caller receives by email at their account's address, in the current team. */
export async function setPersonalAlerts(db: Database, ctx: TeamContext, input: PersonalAlertsInput): Promise<AlertKind[]> {
  requireRole(ctx, "member");
  const { events } = personalAlertsInputSchema.parse(input);
  const beyond = events.filter((kind) => !personalAlertKinds(ctx.role).includes(kind));
  if (beyond.length)
    throw new ServiceError(`Only team admins can receive ${beyond.join(", ")}.`, "forbidden", {
      events: `Only team admins can receive ${beyond.join(", ")}.`,
    });
  const unavailable = CHANNELS.email.unavailableReason();
  if (unavailable && events.length) throw new ServiceError(unavailable, "conflict");
  await db.transaction(async (tx) => {
    const mine = and(eq(alertEndpoints.teamId, ctx.team.id), eq(alertEndpoints.userId, ctx.actor.id), eq(alertEndpoints.channel, "email"));
    if (events.length === 0) await tx.delete(alertEndpoints).where(mine);
    else {
      const updated = await tx.update(alertEndpoints).set({ events }).where(mine).returning({ id: alertEndpoints.id });
      if (updated.length === 0)
        await tx.insert(alertEndpoints).values({ teamId: ctx.team.id, channel: "email", userId: ctx.actor.id, events, createdBy: ctx.actor.id });
    }
    await recordTeamAudit(tx, ctx, { action: "alert.personal_changed", target: { type: "user", id: ctx.actor.id }, metadata: { events } });
  });
  return events;
}

export async function getTeamAlertSettings(db: Executor, ctx: TeamContext): Promise<{ flowFailureStreak: number }> {
  return { flowFailureStreak: await flowFailureStreak(db, ctx.team.id) };
}

export async function setTeamAlertSettings(db: Database, ctx: TeamContext, input: TeamAlertSettingsInput): Promise<{ flowFailureStreak: number }> {
  requireRole(ctx, "admin");
  const { flowFailureStreak: n } = teamAlertSettingsInputSchema.parse(input);
  await db.transaction(async (tx) => {
    await tx
      .insert(teamAlertSettings)
      .values({ teamId: ctx.team.id, flowFailureStreak: n })
      .onConflictDoUpdate({ target: teamAlertSettings.teamId, set: { flowFailureStreak: n } });
    await recordTeamAudit(tx, ctx, {
      action: "alert.settings_changed",
      target: { type: "team", id: ctx.team.id },
      metadata: { flowFailureStreak: n },
    });
  });
  return { flowFailureStreak: n };
}
