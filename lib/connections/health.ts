/**
 * A connection's health at a glance (client-safe, pure): its recent checks and token events as segments
 * of a strip, oldest first, each green (ok), amber (warning) or red (failed) with a sentence saying when and
 * what happened; and a token's expiry in words ("expires in 12 min", "expired 3 min ago").
 */

/** `scheduled`: a health check the job queue ran on the connection's check schedule (lib/health). */
export const CHECK_SOURCES = ["verify", "save", "reauthorize", "scheduled"] as const;
export type CheckSource = (typeof CHECK_SOURCES)[number];
/** How each source reads in the connection's list of recent checks. */
export const CHECK_SOURCE_LABELS: Record<CheckSource, string> = {
  verify: "Verify",
  save: "Check on save",
  reauthorize: "Reauthorize",
  scheduled: "Scheduled check",
};
/** `unchecked`: nothing could be checked (no token to obtain and no Test URL). */
export const CHECK_OUTCOMES = ["ok", "failed", "unchecked"] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

export const TOKEN_EVENT_KINDS = ["issued", "refreshed", "reauthorized", "refresh_failed", "revoked", "authorization_failed"] as const;
export type TokenEventKind = (typeof TOKEN_EVENT_KINDS)[number];

export type HealthTone = "ok" | "warning" | "failed";

/** How each token event reads in the timeline and colours the strip. */
export const TOKEN_EVENTS: Record<TokenEventKind, { label: string; tone: HealthTone }> = {
  issued: { label: "Issued", tone: "ok" },
  refreshed: { label: "Refreshed", tone: "ok" },
  reauthorized: { label: "Reauthorized", tone: "ok" },
  refresh_failed: { label: "Refresh failed", tone: "failed" },
  revoked: { label: "Revoked", tone: "warning" },
  authorization_failed: { label: "Consent failed", tone: "failed" },
};

const CHECKS: Record<CheckSource, Record<CheckOutcome, { label: string; tone: HealthTone }>> = {
  verify: {
    ok: { label: "Verify passed", tone: "ok" },
    failed: { label: "Verify failed", tone: "failed" },
    unchecked: { label: "Verify: saved, not checked", tone: "warning" },
  },
  save: {
    ok: { label: "Check on save passed", tone: "ok" },
    failed: { label: "Check on save failed", tone: "failed" },
    unchecked: { label: "Saved, not checked", tone: "warning" },
  },
  scheduled: {
    ok: { label: "Scheduled check passed", tone: "ok" },
    failed: { label: "Scheduled check failed", tone: "failed" },
    unchecked: { label: "Scheduled check: nothing checked", tone: "warning" },
  },
  reauthorize: {
    ok: { label: "Reauthorized: new token", tone: "ok" },
    failed: { label: "Reauthorize failed", tone: "failed" },
    unchecked: { label: "Reauthorize: nothing checked", tone: "warning" },
  },
};

export const TONE_WORDS: Record<HealthTone, string> = { ok: "OK", warning: "Warning", failed: "Failed" };

export function tokenEventLabel(kind: string): string {
  return kind in TOKEN_EVENTS ? TOKEN_EVENTS[kind as TokenEventKind].label : kind;
}

export interface HealthCheckEntry {
  id: string;
  source: string;
  outcome: string;
  message: string;
  createdAt: Date;
}
export interface HealthTokenEntry {
  id: string;
  kind: string;
  message: string;
  attempts: number | null;
  createdAt: Date;
}

export interface HealthSegment {
  key: string;
  at: Date;
  tone: HealthTone;
  /** What happened, short: "Verify failed", "Refreshed after 3 attempts". */
  title: string;
  message: string;
}

/** At most this many segments: the strip stays readable, the newest are kept. */
export const HEALTH_STRIP_MAX = 40;
/**
 * A token this close to its expiry (or past it) shows amber at the strip's end. As short as the refresh-ahead
 * margin (tokens.ts): providers that issue 5-minute tokens would otherwise always look amber.
 */
export const EXPIRING_SOON_MS = 60_000;

export function healthSegments(input: {
  checks: HealthCheckEntry[];
  events: HealthTokenEntry[];
  status: string;
  createdAt: Date;
  tokenExpiresAt: Date | null;
  now: Date;
}): HealthSegment[] {
  const segments: HealthSegment[] = [
    ...input.checks.map((c) => ({ key: `check-${c.id}`, at: c.createdAt, message: c.message, ...checkLook(c.source, c.outcome) })),
    ...input.events.map((e) => ({ key: `token-${e.id}`, at: e.createdAt, message: e.message, ...tokenLook(e.kind, e.attempts) })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .slice(-HEALTH_STRIP_MAX);
  if (segments.length === 0 && input.status === "never_verified") {
    segments.push({ key: "never", at: input.createdAt, tone: "warning", title: "Never verified", message: "Saved, not checked yet: click Verify." });
  }
  if (input.status === "needs_reauthorization") {
    segments.push({
      key: "now",
      at: input.now,
      tone: "failed",
      title: "Needs reauthorization",
      message: "The provider refused the refresh token: click Reauthorize.",
    });
  } else if (input.tokenExpiresAt && input.tokenExpiresAt.getTime() - input.now.getTime() <= EXPIRING_SOON_MS) {
    segments.push({
      key: "now",
      at: input.now,
      tone: "warning",
      title: `Access token ${formatExpiry(input.tokenExpiresAt, input.now)}`,
      message: "A new one is requested on the next use.",
    });
  }
  return segments;
}

function checkLook(source: string, outcome: string): { tone: HealthTone; title: string } {
  const look = CHECKS[source as CheckSource]?.[outcome as CheckOutcome];
  return look ? { tone: look.tone, title: look.label } : { tone: "warning", title: `${source}: ${outcome}` };
}

function tokenLook(kind: string, attempts: number | null): { tone: HealthTone; title: string } {
  const look = TOKEN_EVENTS[kind as TokenEventKind] ?? { label: kind, tone: "warning" as const };
  // A token that needed retries was obtained, but the provider is shaky.
  if (look.tone === "ok" && attempts !== null && attempts > 1) return { tone: "warning", title: `${look.label} after ${attempts} attempts` };
  return { tone: look.tone, title: look.label };
}

/** The accessible sentence of a segment: when (fixed UTC text, the same on server and client) and what. */
export function segmentLabel(s: HealthSegment): string {
  return `${TONE_WORDS[s.tone]}, ${utcMinute(s.at)}: ${s.title}. ${s.message}`;
}

function utcMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "expires in 12 min", "expired 3 min ago", "expires in 2 h 5 min", "expires in 3 days". */
export function formatExpiry(expiresAt: Date, now: Date): string {
  const ms = expiresAt.getTime() - now.getTime();
  return ms >= 0 ? `expires in ${duration(ms)}` : `expired ${duration(-ms)} ago`;
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}
