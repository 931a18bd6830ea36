/**
 * When a connection is checked and kept alive (client-safe, pure). A schedule is off, hourly or daily; a
 * period's length is a setting (PLUGBOARD_HEALTH_HOURLY_SECONDS, PLUGBOARD_HEALTH_DAILY_SECONDS) so tests can
 * shrink an "hour" to seconds. Each connection's slot sits at a fixed offset inside every period, derived from
 * its id: a team's checks are spread over the period instead of firing at once (jitter), and there is exactly
 * one slot per connection per period, which the scheduler claims with compare-and-set (scheduler.ts).
 */

export const HEALTH_SCHEDULES = ["off", "hourly", "daily"] as const;
export type HealthSchedule = (typeof HEALTH_SCHEDULES)[number];

/** The form's choice: "default" is daily for OAuth types and connections with a Test URL, off otherwise. */
export const CHECK_SCHEDULE_CHOICES = ["default", ...HEALTH_SCHEDULES] as const;
export type CheckScheduleChoice = (typeof CHECK_SCHEDULE_CHOICES)[number];

export const HEALTH_SCHEDULE_LABELS: Record<HealthSchedule, string> = { off: "Off", hourly: "Every hour", daily: "Every day" };

export interface HealthPeriods {
  hourlyMs: number;
  dailyMs: number;
}

export const DEFAULT_HEALTH_PERIODS: HealthPeriods = { hourlyMs: 3_600_000, dailyMs: 86_400_000 };

export function periodMs(schedule: Exclude<HealthSchedule, "off">, periods: HealthPeriods): number {
  return schedule === "hourly" ? periods.hourlyMs : periods.dailyMs;
}

/** The schedule a connection's checks follow: the chosen one, or by default daily when there is something to check. */
export function effectiveCheckSchedule(choice: CheckScheduleChoice | undefined, facts: { holdsToken: boolean; testUrl: string }): HealthSchedule {
  if (choice && choice !== "default") return choice;
  return facts.holdsToken || facts.testUrl !== "" ? "daily" : "off";
}

/** A stable offset in [0, period) from the connection's id (FNV-1a over its characters, mixed): its place inside every period. */
export function slotOffsetMs(connectionId: string, period: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < connectionId.length; i++) {
    hash ^= connectionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // MurmurHash3's finalizer: ids differing in their last characters land far apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash = (hash ^ (hash >>> 16)) >>> 0;
  // Spread the 32-bit hash over the period (a modulo of a short period would still be uniform enough, this is exact).
  return Math.floor((hash / 0x1_0000_0000) * period);
}

/** The connection's first slot strictly after `now`: one per period, at its offset. */
export function nextSlotAfter(connectionId: string, period: number, now: Date): Date {
  const offset = slotOffsetMs(connectionId, period);
  const t = now.getTime();
  const periodStart = Math.floor((t - offset) / period) * period + offset;
  return new Date(periodStart + period);
}
