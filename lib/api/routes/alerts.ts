import { z } from "zod";
import {
  ALERT_CHANNELS,
  ALERT_KINDS,
  createEmailRecipient,
  createWebhookEndpoint,
  channelAvailability,
  deleteAlertEndpoint,
  getPersonalAlerts,
  getTeamEndpoint,
  rotateWebhookSecret,
  setAlertEndpointEnabled,
  updateWebhookEndpoint,
  getTeamAlertSettings,
  listDeliveries,
  listTeamEndpoints,
  sendTestAlert,
  setPersonalAlerts,
  setTeamAlertSettings,
  type AlertEndpointSummary,
} from "@/lib/alerts";
import { emailRecipientInputSchema, personalAlertsInputSchema, teamAlertSettingsInputSchema, webhookEndpointInputSchema } from "@/lib/alerts/schemas";
import type { Executor } from "@/db";
import { oauthClients } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { eq } from "drizzle-orm";
import type { ApiPrincipal } from "../bearer";
import { defineApiRoute } from "../define-route";

// An endpoint as the API shows it: never its signing secret (given once, in the create answer).
const endpointSchema = z.object({
  id: z.uuid(),
  channel: z.enum(ALERT_CHANNELS),
  target: z.string().describe("The webhook URL or the email address."),
  description: z.string(),
  events: z.array(z.enum(ALERT_KINDS)).describe("The alert kinds it receives."),
  enabled: z.boolean().describe("A disabled endpoint receives no new alert (a test event still goes)."),
  previousSecretValidUntil: z.iso
    .datetime()
    .nullable()
    .describe("During a secret rotation: until when the previous secret signs too (a second signature in webhook-signature)."),
  createdAt: z.iso.datetime(),
});

const idParams = z.object({ id: z.uuid("Not an alert endpoint id.") });

const toApi = (e: AlertEndpointSummary): z.input<typeof endpointSchema> => ({
  ...e,
  previousSecretValidUntil: e.previousSecretValidUntil?.toISOString() ?? null,
  createdAt: e.createdAt.toISOString(),
});

const common = { tag: "Alerts", scope: "alerts:admin", role: "admin" } as const;

export const listAlertEndpointsRoute = defineApiRoute({
  ...common,
  method: "GET",
  path: "/api/v1/alerts/endpoints",
  operationId: "listAlertEndpoints",
  summary: "List the team's alert endpoints (webhooks and email addresses)",
  response: z.object({ endpoints: z.array(endpointSchema) }),
  handler: async ({ db, ctx }) => ({ endpoints: (await listTeamEndpoints(db, ctx)).map(toApi) }),
});

export const createAlertEndpointRoute = defineApiRoute({
  ...common,
  method: "POST",
  path: "/api/v1/alerts/endpoints",
  operationId: "createAlertEndpoint",
  summary: "Add a webhook endpoint or an email address that receives the chosen alerts",
  description:
    "A webhook's signing secret (Standard Webhooks, whsec_…) is in this answer only; it is stored encrypted and never shown again. Email needs the instance's SMTP settings (409 without them).",
  body: z.discriminatedUnion("channel", [
    webhookEndpointInputSchema.extend({ channel: z.literal("webhook") }),
    emailRecipientInputSchema.extend({ channel: z.literal("email") }),
  ]),
  status: 201,
  response: z.object({ endpoint: endpointSchema, secret: z.string().optional().describe("The webhook's signing secret, shown once.") }),
  handler: async ({ db, ctx, body }) => {
    if (body.channel === "webhook") {
      const { endpoint, secret } = await createWebhookEndpoint(db, ctx, body);
      return { endpoint: toApi(endpoint), secret };
    }
    return { endpoint: toApi(await createEmailRecipient(db, ctx, body)) };
  },
});

export const deleteAlertEndpointRoute = defineApiRoute({
  ...common,
  method: "DELETE",
  path: "/api/v1/alerts/endpoints/{id}",
  operationId: "deleteAlertEndpoint",
  summary: "Delete an alert endpoint and its delivery log",
  params: idParams,
  response: z.null(),
  status: 204,
  handler: async ({ db, ctx, params }) => {
    await deleteAlertEndpoint(db, ctx, params.id);
    return null;
  },
});

export const updateAlertEndpointRoute = defineApiRoute({
  ...common,
  method: "PATCH",
  path: "/api/v1/alerts/endpoints/{id}",
  operationId: "updateAlertEndpoint",
  summary: "Edit an alert endpoint, or enable or disable it",
  description:
    "Fields left out keep their value. `url`, `description` and `events` are a webhook's (an email address is deleted and added again instead); `enabled` is any endpoint's. The signing secret is rotated apart (rotate-secret).",
  params: idParams,
  body: webhookEndpointInputSchema.partial().extend({ enabled: z.boolean().optional().describe("false: no new alert is sent to it.") }),
  response: z.object({ endpoint: endpointSchema }),
  handler: async ({ db, ctx, params, body }) => {
    const { enabled, ...fields } = body;
    let endpoint = await getTeamEndpoint(db, ctx, params.id);
    if (Object.values(fields).some((v) => v !== undefined)) {
      if (endpoint.channel !== "webhook")
        throw new ServiceError("Only a webhook's URL, description and alerts can be edited; delete the email address and add it again.", "invalid", {
          url: "Not an email address's field.",
        });
      endpoint = await updateWebhookEndpoint(db, ctx, {
        id: params.id,
        url: fields.url ?? endpoint.target,
        description: fields.description ?? endpoint.description,
        events: fields.events ?? endpoint.events,
      });
    }
    if (enabled !== undefined && enabled !== endpoint.enabled) endpoint = await setAlertEndpointEnabled(db, ctx, { id: params.id, enabled });
    return { endpoint: toApi(endpoint) };
  },
});

export const rotateAlertEndpointSecretRoute = defineApiRoute({
  ...common,
  method: "POST",
  path: "/api/v1/alerts/endpoints/{id}/rotate-secret",
  operationId: "rotateAlertEndpointSecret",
  summary: "Give a webhook endpoint a new signing secret",
  description:
    "The new secret is in this answer only. For 24 hours the previous secret signs each message too (webhook-signature then holds two space-separated signatures, per Standard Webhooks), so receivers can switch without losing a message.",
  params: idParams,
  response: z.object({
    endpoint: endpointSchema,
    secret: z.string().describe("The new signing secret (whsec_…), shown once."),
    previousSecretValidUntil: z.iso.datetime(),
  }),
  handler: async ({ db, ctx, params }) => {
    const rotated = await rotateWebhookSecret(db, ctx, params.id);
    return { endpoint: toApi(rotated.endpoint), secret: rotated.secret, previousSecretValidUntil: rotated.previousSecretValidUntil.toISOString() };
  },
});

export const listAlertDeliveriesRoute = defineApiRoute({
  ...common,
  method: "GET",
  path: "/api/v1/alerts/endpoints/{id}/deliveries",
  operationId: "listAlertDeliveries",
  summary: "An endpoint's delivery log, newest first",
  description: "The newest 50; the log keeps at most 100 deliveries per endpoint, for 30 days.",
  params: idParams,
  response: z.object({
    deliveries: z.array(
      z.object({
        id: z.uuid(),
        alertId: z.uuid(),
        kind: z.string().describe("The alert's kind, or alert.test."),
        status: z.enum(["pending", "delivered", "failed"]).describe("pending: will be tried again."),
        attempts: z.number().int(),
        responseStatus: z.number().int().nullable().describe("The webhook's last HTTP status."),
        lastError: z.string().nullable(),
        createdAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
      }),
    ),
  }),
  handler: async ({ db, ctx, params }) => ({
    deliveries: (await listDeliveries(db, ctx, params.id)).map((d) => ({
      ...d,
      status: d.status as "pending" | "delivered" | "failed",
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    })),
  }),
});

export const sendTestAlertRoute = defineApiRoute({
  ...common,
  method: "POST",
  path: "/api/v1/alerts/endpoints/{id}/test",
  operationId: "sendTestAlert",
  summary: "Queue a test alert to one endpoint",
  params: idParams,
  response: z.object({ deliveryId: z.uuid().describe("Follow it in the delivery log.") }),
  handler: async ({ db, ctx, params }) => sendTestAlert(db, ctx, params.id),
});

const settingsSchema = z.object({ flowFailureStreak: z.number().int().describe("Failed runs in a row of one flow that raise an alert.") });

export const getAlertSettingsRoute = defineApiRoute({
  ...common,
  method: "GET",
  path: "/api/v1/alerts/settings",
  operationId: "getAlertSettings",
  summary: "The team's alert settings",
  response: settingsSchema,
  handler: async ({ db, ctx }) => getTeamAlertSettings(db, ctx),
});

export const updateAlertSettingsRoute = defineApiRoute({
  ...common,
  method: "PUT",
  path: "/api/v1/alerts/settings",
  operationId: "updateAlertSettings",
  summary: "Change the team's alert settings",
  body: teamAlertSettingsInputSchema,
  response: settingsSchema,
  handler: async ({ db, ctx, body }) => setTeamAlertSettings(db, ctx, body),
});

const personalSchema = z.object({
  events: z.array(z.enum(ALERT_KINDS)).describe("The alerts of this team emailed to your account's address; empty: none."),
  emailUnavailable: z.string().nullable().describe("Why email cannot be sent (no SMTP settings on this instance), or null."),
});

/**
 * Personal alerts belong to a person: an application's own token (client credentials) acts as the
 * application's service member, which has no inbox.
 */
async function requirePersonToken(db: Executor, principal: ApiPrincipal): Promise<void> {
  const [client] = await db.select({ serviceUserId: oauthClients.serviceUserId }).from(oauthClients).where(eq(oauthClients.id, principal.client.id));
  if (client?.serviceUserId === principal.ctx.actor.id)
    throw new ServiceError("Personal email alerts need a user's token (authorization code); an application's own token has no inbox.", "forbidden");
}

const personal = { tag: "Alerts", scope: "alerts:personal", role: "member" } as const;

export const getPersonalAlertsRoute = defineApiRoute({
  ...personal,
  method: "GET",
  path: "/api/v1/alerts/me",
  operationId: "getPersonalAlerts",
  summary: "Your own email alerts in the token's team",
  description: "The same choice as Profile → My email alerts. Needs a user's token (authorization code), not an application's own.",
  response: personalSchema,
  handler: async ({ db, ctx, principal }) => {
    await requirePersonToken(db, principal);
    return { events: await getPersonalAlerts(db, ctx), emailUnavailable: channelAvailability().email };
  },
});

export const updatePersonalAlertsRoute = defineApiRoute({
  ...personal,
  method: "PUT",
  path: "/api/v1/alerts/me",
  operationId: "updatePersonalAlerts",
  summary: "Choose your own email alerts in the token's team",
  description:
    "Replaces the choice; an empty list stops them. Only the kinds your role may receive: application.secret_expiring is for admins (400 naming events otherwise). 409 when the instance has no SMTP settings. Needs a user's token.",
  body: personalAlertsInputSchema,
  response: personalSchema,
  handler: async ({ db, ctx, principal, body }) => {
    await requirePersonToken(db, principal);
    return { events: await setPersonalAlerts(db, ctx, body), emailUnavailable: channelAvailability().email };
  },
});
