import { HttpRequestError } from "./errors";
import type { Cancellable, ExchangeWatcher } from "./incoming-response";

/**
 * An attempt's cancel switch: fires on the whole-request timeout or when the caller cancels, and cancels the
 * exchange in flight (lib/http/incoming-response.ts), its body included. One is made per attempt: a timer
 * and no listeners or closures unless the caller passed a signal (an AbortController with its listeners cost
 * more than the rest of a keep-alive request's own work).
 */
export class AttemptSignal implements ExchangeWatcher {
  aborted = false;
  reason: HttpRequestError | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly outer: AbortSignal | undefined;
  private readonly cancelled: (() => void) | undefined;
  private current: Cancellable | undefined;

  constructor(timeoutSeconds: number, outer: AbortSignal | undefined) {
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
    const current = this.current;
    this.current = undefined;
    current?.cancel(reason);
  }

  watch(exchange: Cancellable): void {
    if (this.reason) exchange.cancel(this.reason);
    else this.current = exchange;
  }

  unwatch(exchange: Cancellable): void {
    if (this.current === exchange) this.current = undefined;
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
