import { EventEmitter } from "node:events";
import { HttpRequestError } from "./errors";

/**
 * An attempt's cancel switch, in the shape undici accepts as a request's `signal` (an EventEmitter with
 * `aborted`, `reason` and an "abort" event; undici's documented alternative to AbortSignal). One is made per
 * attempt, and an AbortController with its listeners costs several times a whole keep-alive request here.
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: HttpRequestError | undefined;

  abort(reason: HttpRequestError): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}

/** One attempt's signal: fires on the whole-request timeout or when the caller cancels. */
export function attemptSignal(timeoutSeconds: number, outer: AbortSignal | undefined) {
  const signal = new AttemptSignal();
  const cancelled = () => signal.abort(new HttpRequestError("aborted", "the request was cancelled"));
  if (outer?.aborted) cancelled();
  outer?.addEventListener("abort", cancelled, { once: true });
  const timer = setTimeout(
    () => signal.abort(new HttpRequestError("timeout", `timed out after ${timeoutSeconds} s (the whole request, including the body)`)),
    timeoutSeconds * 1000,
  );
  return {
    signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", cancelled);
    },
  };
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
