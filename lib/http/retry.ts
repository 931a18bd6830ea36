import type { HttpErrorKind } from "./types";

export interface BackoffOptions {
  /** Fixed delay between tries when not exponential. */
  delayMs: number;
  exponential: boolean;
  /** First exponential delay. Default 1000 ms. */
  baseDelayMs?: number;
  /** No delay exceeds this. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Exponential delays vary by ± this share so many clients do not retry in step. Default 0.2. */
  jitter?: number;
  random?: () => number;
}

/**
 * How long to wait before retry number `retry` (0 for the first retry). Exponential: base * 2^retry, then
 * ± jitter, never above maxDelayMs; otherwise the fixed delay.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const cap = options.maxDelayMs ?? 30_000;
  if (!options.exponential) return Math.min(options.delayMs, cap);
  const base = (options.baseDelayMs ?? 1000) * 2 ** retry;
  const jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1);
  const factor = 1 - jitter + 2 * jitter * (options.random ?? Math.random)();
  return Math.round(Math.min(base * factor, cap));
}

/** A Retry-After header in milliseconds (delta-seconds or an HTTP date), or undefined if absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads "-3" as a year; an HTTP date always names its day and month.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Statuses whose Retry-After the executor honours. */
export const RETRY_AFTER_STATUSES = [429, 503];

export function isRetryableStatus(status: number, retryOnAllErrors: boolean): boolean {
  return status >= 500 || status === 429 || (retryOnAllErrors && status >= 400);
}

// Failures that a new try can fix. Guard refusals, disallowed hosts, invalid requests, cancellation and
// oversized bodies never change on their own, so even retryOnAllErrors does not repeat them.
const TRANSIENT: HttpErrorKind[] = ["connection_refused", "connection_reset", "network", "timeout"];
const NEVER: HttpErrorKind[] = ["invalid_request", "host_not_allowed", "address_guard", "aborted", "body_too_large", "busy", "proxy"];

export function isRetryableError(kind: HttpErrorKind, retryOnAllErrors: boolean): boolean {
  if (NEVER.includes(kind)) return false;
  return retryOnAllErrors || TRANSIENT.includes(kind);
}
