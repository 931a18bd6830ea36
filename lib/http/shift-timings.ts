import type { ExchangeTiming, Timings, WaitTiming } from "./types";

/** An executor run's requests and waits moved onto a longer axis (a step, a paginated run) that began offsetMs earlier. */
export function shiftTimings(timings: Timings | undefined, offsetMs: number): { exchanges: ExchangeTiming[]; waits: WaitTiming[] } {
  const shift = <T extends { startMs: number }>(item: T): T => ({ ...item, startMs: item.startMs + offsetMs });
  return {
    exchanges: (timings?.exchanges ?? []).map((e) => ({ ...shift(e), phases: e.phases.map(shift) })),
    waits: (timings?.waits ?? []).map(shift),
  };
}
