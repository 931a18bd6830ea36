/**
 * Credential expiry in days (client-safe, pure): "expires in N days", whether a connection is within the Needs
 * attention window, and the reminder threshold (14, 3 or 1 days ahead) it is within, which the expiry alerts
 * (lib/alerts/expiry.ts) send once each.
 */

const DAY_MS = 86_400_000;

/** Reminders go out this many days before a credential expires. */
export const EXPIRY_THRESHOLD_DAYS = [14, 3, 1] as const;
export type ExpiryThresholdDays = (typeof EXPIRY_THRESHOLD_DAYS)[number];

/** A connection expiring within this many days needs attention. */
export const EXPIRY_ATTENTION_DAYS = 14;

/** Whole days left, rounded up (an expiry later today is "1 day"); 0 or less once expired. */
export function daysUntilExpiry(expiresAt: Date, now: Date): number {
  return Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS);
}

/** "expires in 12 days", "expires in 1 day", "expires today", "expired 3 days ago". */
export function expiryInDays(expiresAt: Date, now: Date): string {
  const ms = expiresAt.getTime() - now.getTime();
  if (ms <= 0) {
    const ago = Math.floor(-ms / DAY_MS);
    return ago === 0 ? "expired today" : `expired ${ago} ${ago === 1 ? "day" : "days"} ago`;
  }
  const days = daysUntilExpiry(expiresAt, now);
  return `expires in ${days} ${days === 1 ? "day" : "days"}`;
}

export function expiresWithinAttentionWindow(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() <= EXPIRY_ATTENTION_DAYS * DAY_MS;
}

/** The nearest reminder threshold a credential is within (1, 3 or 14 days), or null when further away or already expired. */
export function expiryThreshold(expiresAt: Date, now: Date): ExpiryThresholdDays | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const within = EXPIRY_THRESHOLD_DAYS.filter((days) => left <= days * DAY_MS);
  return within.length ? within[within.length - 1] : null;
}
