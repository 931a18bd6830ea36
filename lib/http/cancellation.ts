import { HttpRequestError } from "./errors";

/** One attempt's signal: fires on the whole-request timeout or when the caller cancels. */
export function attemptSignal(timeoutSeconds: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  const cancelled = () => controller.abort(new HttpRequestError("aborted", "the request was cancelled"));
  if (outer?.aborted) cancelled();
  outer?.addEventListener("abort", cancelled, { once: true });
  const timer = setTimeout(
    () => controller.abort(new HttpRequestError("timeout", `timed out after ${timeoutSeconds} s (the whole request, including the body)`)),
    timeoutSeconds * 1000,
  );
  return {
    signal: controller.signal,
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
