import { z } from "zod";
import { LIMITS, line, wholeNumber } from "@/lib/validation/fields";
import { ALERT_KINDS } from "./events";

/** Every alert settings input (forms, server actions, REST API) has its one schema here. Client-safe. */

const events = z.array(z.enum(ALERT_KINDS, "Choose alerts from the list."), "Choose at least one alert.").max(ALERT_KINDS.length);
const chosenEvents = events.min(1, "Choose at least one alert.");

export const webhookEndpointInputSchema = z.object({
  url: line(LIMITS.url)
    .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL, like https://hooks.example.com/plugboard" }))
    .refine((u) => !URL.parse(u)?.username && !URL.parse(u)?.password, "Put no user name or password in the URL: each message is signed instead."),
  description: line(LIMITS.short).default(""),
  events: chosenEvents,
});
export type WebhookEndpointInput = z.input<typeof webhookEndpointInputSchema>;

export const emailRecipientInputSchema = z.object({
  address: line(254).pipe(z.email("Enter an email address, like ops@example.com")),
  events: chosenEvents,
});
export type EmailRecipientInput = z.input<typeof emailRecipientInputSchema>;

/** A member's own email alerts in the current team; no alert chosen means none are sent. */
export const personalAlertsInputSchema = z.object({ events });
export type PersonalAlertsInput = z.input<typeof personalAlertsInputSchema>;

export const teamAlertSettingsInputSchema = z.object({
  flowFailureStreak: wholeNumber("Enter a number of runs, like 3.").pipe(z.number().min(1, "At least 1 run.").max(100, "At most 100 runs.")),
});
export type TeamAlertSettingsInput = z.input<typeof teamAlertSettingsInputSchema>;

export const endpointIdSchema = z.object({ id: z.uuid("Unknown endpoint.") });

/** Editing a webhook endpoint: the same fields as adding one (its secret is rotated apart). */
export const webhookEndpointUpdateSchema = webhookEndpointInputSchema.extend({ id: z.uuid("Unknown endpoint.") });
export type WebhookEndpointUpdate = z.input<typeof webhookEndpointUpdateSchema>;

export const endpointEnabledSchema = z.object({ id: z.uuid("Unknown endpoint."), enabled: z.boolean("Say whether the endpoint is enabled.") });
export type EndpointEnabledInput = z.input<typeof endpointEnabledSchema>;
