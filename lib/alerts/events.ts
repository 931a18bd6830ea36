// Zod-free and server-free: the settings forms import the kinds and their labels.

/** Alert kinds a subscription can choose. */
export const ALERT_KINDS = [
  "connection.failing",
  "connection.needs_reauthorization",
  "connection.resolved",
  "connection.expiring",
  "flow.failing",
  "flow.resolved",
  "application.secret_expiring",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  "connection.failing": "A connection starts failing",
  "connection.needs_reauthorization": "A connection needs reauthorization",
  "connection.resolved": "A connection recovers (resolved)",
  "connection.expiring": "A connection's credentials expire soon (14, 3 and 1 days ahead)",
  "flow.failing": "A flow fails several runs in a row",
  "flow.resolved": "A flow succeeds again after such a streak (resolved)",
  "application.secret_expiring": "An application's last client secret expires soon (14, 3 and 1 days ahead)",
};

/**
 * The least team role that may receive each kind at a personal address: a kind that names things only
 * admins see (the team's applications) is not emailed to a member, who cannot choose it either. Team
 * endpoints (admins' choice) receive every kind.
 */
export const ALERT_KIND_MIN_ROLE = {
  "connection.failing": "member",
  "connection.needs_reauthorization": "member",
  "connection.resolved": "member",
  "connection.expiring": "member",
  "flow.failing": "member",
  "flow.resolved": "member",
  "application.secret_expiring": "admin",
} as const satisfies Record<AlertKind, "member" | "admin">;

/** The kinds a person with `role` may receive by personal email (null: no longer a member, none). */
export function personalAlertKinds(role: "member" | "admin" | null): AlertKind[] {
  if (!role) return [];
  return ALERT_KINDS.filter((kind) => role === "admin" || ALERT_KIND_MIN_ROLE[kind] === "member");
}

import type { ExpiryThresholdDays } from "@/lib/health/expiry";

/** Days ahead of an expiry date at which one alert each is sent (14, 3, 1: lib/health/expiry.ts). */
export type ExpiryThreshold = ExpiryThresholdDays;

/** Channels a team can send alerts through (descriptors in lib/alerts/channels). */
export const ALERT_CHANNELS = ["email", "webhook"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

export const DEFAULT_FLOW_FAILURE_STREAK = 3;

type ConnectionRef = { id: string; name: string };

/** What an alert says. `reminder`: the problem was reported before and still lasts (at most daily). */
export type AlertEvent =
  | { kind: "connection.failing"; connection: ConnectionRef; message: string; reminder: boolean }
  | { kind: "connection.needs_reauthorization"; connection: ConnectionRef; message: string; reminder: boolean }
  | { kind: "connection.resolved"; connection: ConnectionRef; previous: "failed" | "needs_reauthorization" }
  | { kind: "connection.expiring"; connection: ConnectionRef; thresholdDays: ExpiryThreshold; expiresOn: string }
  | { kind: "flow.failing"; flow: { id: string; name: string }; failedRuns: number; lastError: string | null }
  | { kind: "flow.resolved"; flow: { id: string; name: string } }
  | { kind: "application.secret_expiring"; application: { id: string; name: string }; thresholdDays: ExpiryThreshold; expiresOn: string };

/** The "Send test event" message: to one endpoint, never to subscriptions. */
export type TestAlertEvent = { kind: "alert.test"; endpointId: string };

export type DeliverableEvent = AlertEvent | TestAlertEvent;
