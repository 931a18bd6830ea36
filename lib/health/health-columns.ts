import "server-only";
import { getHealthSettings } from "@/lib/config/env";
import type { StoredConfig } from "@/lib/connections/config";
import type { ConnectionInput } from "@/lib/connections/schemas";
import { clientCertificateExpiry } from "@/lib/connections/types/client-certificate";
import { tokensOf } from "@/lib/connections/types/registry";
import { effectiveCheckSchedule, type HealthPeriods, type HealthSchedule, nextSlotAfter, periodMs } from "./schedule";

/**
 * The health columns of a connection as saved from its form: the effective check and keep-alive schedules,
 * their next slots, and the credential's expiry. Written by every save (create, edit, consent), so a changed
 * schedule takes effect from its next slot.
 */

export interface HealthColumns {
  checkSchedule: HealthSchedule;
  nextCheckAt: Date | null;
  keepAlive: HealthSchedule;
  nextKeepAliveAt: Date | null;
  expiresAt: Date | null;
}

export function healthPeriods(): HealthPeriods {
  const { hourlyMs, dailyMs } = getHealthSettings();
  return { hourlyMs, dailyMs };
}

/** Keep-alive only means something for a token renewed with a refresh token (a consent). */
export function keepsAlive(config: StoredConfig): boolean {
  return tokensOf(config)?.renewal === "refresh";
}

export function resolveSchedules(
  connectionId: string,
  config: StoredConfig,
  now: Date,
  periods: HealthPeriods = healthPeriods(),
): Pick<HealthColumns, "checkSchedule" | "nextCheckAt" | "keepAlive" | "nextKeepAliveAt"> {
  const checkSchedule = effectiveCheckSchedule(config.checkSchedule, { holdsToken: tokensOf(config) !== undefined, testUrl: config.testUrl ?? "" });
  const keepAlive: HealthSchedule = keepsAlive(config) ? (config.keepAlive ?? "daily") : "off";
  const slot = (schedule: HealthSchedule) => (schedule === "off" ? null : nextSlotAfter(connectionId, periodMs(schedule, periods), now));
  return { checkSchedule, nextCheckAt: slot(checkSchedule), keepAlive, nextKeepAliveAt: slot(keepAlive) };
}

/** The earlier of the typed "Expires on" (the end of that day, UTC) and the client certificate's own end. */
export function credentialExpiry(input: Pick<ConnectionInput, "expiresOn" | "tlsCertificate" | "tlsPkcs12" | "tlsPassphrase">): Date | null {
  const typed = input.expiresOn ? new Date(`${input.expiresOn}T23:59:59Z`) : undefined;
  const certificate = clientCertificateExpiry(input);
  const dates = [typed, certificate].filter((d): d is Date => d !== undefined);
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null;
}

export function healthColumnsFor(connectionId: string, input: ConnectionInput, config: StoredConfig, now = new Date()): HealthColumns {
  return { ...resolveSchedules(connectionId, config, now), expiresAt: credentialExpiry(input) };
}
