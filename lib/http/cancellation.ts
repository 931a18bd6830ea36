import { EventEmitter } from "node:events";
import { HttpRequestError } from "./errors";

/**
 * An attempt's cancel switch: fires on the whole-request timeout or when the caller cancels. It has the shape
 * undici accepts as a request's `signal` (an EventEmitter with `aborted`, `reason` and an "abort" event,
 * undici's documented alternative to AbortSignal): one is made per attempt, and an AbortController with its
 * listeners cost more than the rest of a keep-alive request's own work. No closures unless the caller passed
 * a signal, for the same reason.
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: HttpRequestError | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly outer: AbortSignal | undefined;
  private readonly cancelled: (() => void) | undefined;

  constructor(timeoutSeconds: number, outer: AbortSignal | undefined) {
    super();
    this.timer = setTimeout(timedOut, timeoutSeconds * 1000, this, timeoutSeconds);
    if (outer) {
      this.outer = outer;
      this.cancelled = () => this.abort(new HttpRequestError("aborted", "the request was cancelled"));
      if (outer.aborted) this.cancelled();
      else outer.addEventListener("abort", this.cancelled, { once: true });
    }
  }

  abort(reason: HttpRequestError): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }

  /** The attempt is over: no timeout, no listener left on the caller's signal. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.cancelled) this.outer?.removeEventListener("abort", this.cancelled);
  }
}

function timedOut(signal: AttemptSignal, timeoutSeconds: number): void {
  signal.abort(new HttpRequestError("timeout", `timed out after ${timeoutSeconds} s (the whole request, including the body)`));
}

/** Waits between retries; the caller's cancel ends the wait at once. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = new HttpRequestError("aborted", "the request was cancelled");
    if (signal?.aborted) return reject(cancelled);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
