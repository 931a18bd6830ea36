import type { ExchangeTiming, WaitTiming } from "@/lib/http/types";

/**
 * A step's place on its run's time axis, kept with the step record: when it started (from the run's start),
 * how long it took, and the requests it sent (attempts, redirect hops) and the waits between them, each
 * from the step's start. Client-safe: the run page draws its timeline from it.
 */
export interface StepTiming {
  startMs: number;
  durationMs: number;
  exchanges: ExchangeTiming[];
  /** Retry delays, and waits for a free outbound slot ("busy"). */
  waits: WaitTiming[];
}
