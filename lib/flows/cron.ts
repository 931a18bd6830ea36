import { Cron } from "croner";
import cronstrue from "cronstrue";

/**
 * Schedules: a cron expression (5 fields, or 6 with seconds first) in an IANA time zone. Client-safe: the
 * editor explains the expression and lists the next runs as it is typed; the scheduler uses nextRunAfter.
 */

export type ScheduleCheck = { ok: true; description: string; nextRuns: Date[] } | { ok: false; error: string; field: "cron" | "timezone" };

export function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function cronFor(expression: string, timezone: string): Cron {
  return new Cron(expression.trim(), { timezone, paused: true, mode: "5-or-6-parts" });
}

/** Validates, explains in words and lists the next `count` runs after `from`. */
export function checkSchedule(expression: string, timezone: string, count = 5, from = new Date()): ScheduleCheck {
  const expr = expression.trim();
  if (!expr) return { ok: false, error: "Enter a cron expression, like 0 9 * * 1-5.", field: "cron" };
  if (!isValidTimeZone(timezone))
    return { ok: false, error: `“${timezone}” is not a time zone; use a name such as Europe/Berlin or UTC.`, field: "timezone" };
  let cron: Cron;
  try {
    cron = cronFor(expr, timezone);
  } catch (e) {
    return { ok: false, error: `This is not a cron expression: ${cronMessage(e)}`, field: "cron" };
  }
  const nextRuns = cron.nextRuns(count, from);
  if (!nextRuns.length) return { ok: false, error: "This schedule never runs.", field: "cron" };
  return { ok: true, description: describeSchedule(expr, timezone), nextRuns };
}

/** "At 09:00, Monday through Friday (Europe/Berlin)". */
export function describeSchedule(expression: string, timezone: string): string {
  let words: string;
  try {
    words = cronstrue.toString(expression.trim(), { use24HourTimeFormat: true, verbose: false });
  } catch {
    words = expression.trim();
  }
  return `${words} (${timezone})`;
}

/** The first run strictly after `after`, or null when the schedule never runs again. */
export function nextRunAfter(expression: string, timezone: string, after: Date): Date | null {
  return cronFor(expression, timezone).nextRun(after);
}

function cronMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Cron\w*:\s*/, "");
}
