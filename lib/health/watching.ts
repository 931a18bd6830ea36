import { expiryInDays } from "./expiry";
import { HEALTH_SCHEDULE_LABELS, type HealthSchedule } from "./schedule";

/**
 * What the connection page says about how Plugboard watches a connection (client-safe, pure): its check
 * schedule, its keep-alive when it has one, and its credential's expiry, each with the next time it happens.
 */

export interface WatchingRow {
  label: string;
  value: string;
  /** When it next happens (a check, a keep-alive refresh), shown in the reader's time zone. */
  next: Date | null;
}

export function watchingRows(
  health: {
    checkSchedule: HealthSchedule | null;
    nextCheckAt: Date | null;
    keepAlive: HealthSchedule | null;
    nextKeepAliveAt: Date | null;
    expiresAt: Date | null;
  },
  now: Date,
): WatchingRow[] {
  const check = health.checkSchedule;
  const rows: WatchingRow[] = [
    {
      label: "Health checks",
      value:
        check === null
          ? "Set by the scheduler within a few seconds"
          : check === "off"
            ? "Off: checked only when someone clicks Verify"
            : HEALTH_SCHEDULE_LABELS[check],
      next: check === "off" ? null : health.nextCheckAt,
    },
  ];
  // Keep-alive exists for tokens renewed with a refresh token; other types store "off".
  if (health.keepAlive === "hourly" || health.keepAlive === "daily")
    rows.push({
      label: "Keep-alive",
      value: `${HEALTH_SCHEDULE_LABELS[health.keepAlive]}: a new token with the refresh token`,
      next: health.nextKeepAliveAt,
    });
  if (health.expiresAt)
    rows.push({ label: "Credential", value: `${expiryInDays(health.expiresAt, now)} (${health.expiresAt.toISOString().slice(0, 10)})`, next: null });
  return rows;
}
