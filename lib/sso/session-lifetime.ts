import { SsoConfigError } from "./config";

/** How long a session lasts (PLUGBOARD_SESSION_HOURS, default a week): a user disabled at the provider loses access by then. */
export function sessionMaxAgeSeconds(raw = process.env.PLUGBOARD_SESSION_HOURS): number {
  if (!raw?.trim()) return 7 * 24 * 3600;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 365) {
    throw new SsoConfigError("PLUGBOARD_SESSION_HOURS must be a number of hours between 0 and 8760");
  }
  return Math.round(hours * 3600);
}
