"use server";
import { revalidatePath } from "next/cache";
import {
  createEmailRecipient,
  createWebhookEndpoint,
  deleteAlertEndpoint,
  rotateWebhookSecret,
  sendTestAlert,
  setAlertEndpointEnabled,
  setPersonalAlerts,
  setTeamAlertSettings,
  updateWebhookEndpoint,
} from "@/lib/alerts";
import {
  emailRecipientInputSchema,
  endpointEnabledSchema,
  endpointIdSchema,
  personalAlertsInputSchema,
  teamAlertSettingsInputSchema,
  webhookEndpointInputSchema,
  webhookEndpointUpdateSchema,
} from "@/lib/alerts/schemas";
import { teamAction } from "@/lib/auth/action";

/** The webhook's signing secret is in this answer only: it is shown once and stored encrypted. */
export const createWebhookEndpointAction = teamAction({ schema: webhookEndpointInputSchema, role: "admin" }, async (ctx, input, db) => {
  const { endpoint, secret } = await createWebhookEndpoint(db, ctx, input);
  revalidatePath("/team/alerts");
  return { id: endpoint.id, url: endpoint.target, secret };
});

export const updateWebhookEndpointAction = teamAction({ schema: webhookEndpointUpdateSchema, role: "admin" }, async (ctx, input, db) => {
  const endpoint = await updateWebhookEndpoint(db, ctx, input);
  revalidatePath("/team/alerts");
  revalidatePath(`/team/alerts/${input.id}`);
  return { id: endpoint.id };
});

export const setAlertEndpointEnabledAction = teamAction({ schema: endpointEnabledSchema, role: "admin" }, async (ctx, input, db) => {
  const endpoint = await setAlertEndpointEnabled(db, ctx, input);
  revalidatePath("/team/alerts");
  revalidatePath(`/team/alerts/${input.id}`);
  return { enabled: endpoint.enabled };
});

/** The new signing secret is in this answer only: it is shown once and stored encrypted. */
export const rotateWebhookSecretAction = teamAction({ schema: endpointIdSchema, role: "admin" }, async (ctx, input, db) => {
  const rotated = await rotateWebhookSecret(db, ctx, input.id);
  revalidatePath(`/team/alerts/${input.id}`);
  return { secret: rotated.secret, previousSecretValidUntil: rotated.previousSecretValidUntil.toISOString() };
});

export const createEmailRecipientAction = teamAction({ schema: emailRecipientInputSchema, role: "admin" }, async (ctx, input, db) => {
  const endpoint = await createEmailRecipient(db, ctx, input);
  revalidatePath("/team/alerts");
  return { id: endpoint.id };
});

export const deleteAlertEndpointAction = teamAction({ schema: endpointIdSchema, role: "admin" }, async (ctx, input, db) => {
  await deleteAlertEndpoint(db, ctx, input.id);
  revalidatePath("/team/alerts");
  return null;
});

export const sendTestAlertAction = teamAction({ schema: endpointIdSchema, role: "admin" }, async (ctx, input, db) => {
  const sent = await sendTestAlert(db, ctx, input.id);
  revalidatePath(`/team/alerts/${input.id}`);
  return sent;
});

export const setTeamAlertSettingsAction = teamAction({ schema: teamAlertSettingsInputSchema, role: "admin" }, async (ctx, input, db) => {
  const saved = await setTeamAlertSettings(db, ctx, input);
  revalidatePath("/team/alerts");
  return saved;
});

/** A member's own email alerts in the current team: the service filters by the caller. */
export const setPersonalAlertsAction = teamAction({ schema: personalAlertsInputSchema, role: "member" }, async (ctx, input, db) => {
  const events = await setPersonalAlerts(db, ctx, input);
  revalidatePath("/profile");
  return { events };
});
