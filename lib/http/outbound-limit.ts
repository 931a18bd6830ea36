/**
 * Bounds the outbound requests of this app instance: at most `maxInFlight` at once, of which one team may
 * hold at most `teamShare` of them; further requests wait in a FIFO queue of at most `maxQueued` (a team
 * again at most its share of it), and beyond that are refused at once with a "busy, retry after" answer.
 *
 * Hand-rolled rather than p-limit / p-queue: those bound concurrency but have no per-key accounting (one
 * team could take every slot) and no queue bound with an immediate refusal, which is the point here.
 */

import { getOutboundLimitsEnv } from "@/lib/config/env";

export interface OutboundLimits {
  /** Requests in flight at once, this instance. */
  maxInFlight: number;
  /** Share (0–1] of maxInFlight and of maxQueued one team may take. */
  teamShare: number;
  /** Requests waiting for a slot; 0 refuses whatever cannot start at once. */
  maxQueued: number;
}

export type Release = () => void;

export class OutboundBusyError extends Error {
  readonly code = "ERR_OUTBOUND_BUSY";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "OutboundBusyError";
  }
}

type Waiter = { key: string; grant: (release: Release) => void; reject: (err: unknown) => void };

export class OutboundLimiter {
  readonly teamMaxInFlight: number;
  readonly teamMaxQueued: number;
  private inFlight = 0;
  private readonly inFlightByKey = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private readonly queuedByKey = new Map<string, number>();
  // Recent slot hold times (exponential average), to tell a refused caller when to come back.
  private averageHoldMs = 1000;

  constructor(readonly limits: OutboundLimits) {
    this.teamMaxInFlight = Math.max(1, Math.floor(limits.maxInFlight * limits.teamShare));
    this.teamMaxQueued = Math.floor(limits.maxQueued * limits.teamShare);
  }

  /** A slot for `key` (the team): at once, after waiting in the queue, or an OutboundBusyError when the queue is full. */
  acquire(key: string, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.canStart(key)) return Promise.resolve(this.start(key));
    const queued = this.queuedByKey.get(key) ?? 0;
    if (this.queue.length >= this.limits.maxQueued || queued >= this.teamMaxQueued) {
      return Promise.reject(this.busy(this.queue.length >= this.limits.maxQueued));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        key,
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
        reject,
      };
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return;
        this.queue.splice(at, 1);
        this.count(this.queuedByKey, key, -1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.count(this.queuedByKey, key, 1);
    });
  }

  stats(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queue.length };
  }

  private canStart(key: string): boolean {
    return this.inFlight < this.limits.maxInFlight && (this.inFlightByKey.get(key) ?? 0) < this.teamMaxInFlight;
  }

  private start(key: string): Release {
    this.inFlight++;
    this.count(this.inFlightByKey, key, 1);
    const startedAt = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.count(this.inFlightByKey, key, -1);
      this.averageHoldMs = 0.8 * this.averageHoldMs + 0.2 * (performance.now() - startedAt);
      this.startWaiting();
    };
  }

  /** Starts the oldest waiters whose team is under its share (a team at its share does not block the others). */
  private startWaiting(): void {
    for (let i = 0; i < this.queue.length && this.inFlight < this.limits.maxInFlight; ) {
      const waiter = this.queue[i];
      if (!this.canStart(waiter.key)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.count(this.queuedByKey, waiter.key, -1);
      waiter.grant(this.start(waiter.key));
    }
  }

  private busy(wholeInstance: boolean): OutboundBusyError {
    const retryAfterSeconds = Math.min(30, Math.max(1, Math.ceil(this.averageHoldMs / 1000)));
    const why = wholeInstance
      ? `${this.limits.maxInFlight} outbound requests are running and ${this.limits.maxQueued} are waiting on this server`
      : `your team already has ${this.teamMaxInFlight} outbound requests running and ${this.teamMaxQueued} waiting (its share of this server)`;
    return new OutboundBusyError(`Plugboard is busy: ${why}; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
  }

  private count(map: Map<string, number>, key: string, delta: number): void {
    const next = (map.get(key) ?? 0) + delta;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  }
}

declare global {
  // Next.js may evaluate this module in several bundles of one process; the limit is per process.
  var __plugboardOutboundLimiter: OutboundLimiter | undefined;
}

/** This process's limiter, sized by PLUGBOARD_OUTBOUND_* (lib/config/env.ts). */
export function getOutboundLimiter(): OutboundLimiter {
  if (!globalThis.__plugboardOutboundLimiter) {
    const env = getOutboundLimitsEnv();
    globalThis.__plugboardOutboundLimiter = new OutboundLimiter({
      maxInFlight: env.outboundMaxInFlight,
      teamShare: env.outboundTeamShare,
      maxQueued: env.outboundMaxQueued,
    });
  }
  return globalThis.__plugboardOutboundLimiter;
}
