import "server-only";
import { shiftTimings } from "@/lib/http/shift-timings";
import type { HttpResult } from "@/lib/http/types";
import type { StepTiming } from "./step-timing";

/** Times a run's steps on one axis from the run's start: each step's requests, retries and waits. */
export function stepClock(runStartedAt: number) {
  const since = (t: number) => performance.now() - t;
  return {
    /** A step that did not run: a marker at this moment. */
    skipped: (): StepTiming => ({ startMs: since(runStartedAt), durationMs: 0, exchanges: [], waits: [] }),
    start() {
      const startedAt = performance.now();
      const timing: StepTiming = { startMs: startedAt - runStartedAt, durationMs: 0, exchanges: [], waits: [] };
      return {
        async request(send: () => Promise<HttpResult>): Promise<HttpResult> {
          const offset = since(startedAt);
          const result = await send();
          const shifted = shiftTimings(result.timings, offset);
          timing.exchanges.push(...shifted.exchanges);
          timing.waits.push(...shifted.waits);
          return result;
        },
        async wait(reason: string, pause: () => Promise<void>): Promise<void> {
          const from = since(startedAt);
          await pause();
          timing.waits.push({ startMs: from, durationMs: since(startedAt) - from, reason });
        },
        finish: (): StepTiming => ({ ...timing, durationMs: since(startedAt) }),
      };
    },
  };
}

export type StepClock = ReturnType<typeof stepClock>;
