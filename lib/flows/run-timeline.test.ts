import { describe, expect, it } from "vitest";
import { layoutRunTimeline } from "./run-timeline";
import type { StepTiming } from "./step-timing";

const exchange = (attempt: number, startMs: number, ms: number, status = 200) => ({
  attempt,
  hop: 0,
  startMs,
  reusedConnection: attempt > 1,
  status,
  phases: [{ name: "ttfb" as const, startMs, durationMs: ms }],
});

describe("run timeline layout", () => {
  it("puts every step on one axis from its start offset, the axis as long as the run", () => {
    const timing = (startMs: number, durationMs: number): StepTiming => ({ startMs, durationMs, exchanges: [exchange(1, 0, durationMs)], waits: [] });
    const t = layoutRunTimeline(
      [
        { stepName: "a", status: "succeeded", durationMs: 100, timing: timing(0, 100) },
        { stepName: "b", status: "succeeded", durationMs: 300, timing: timing(150, 300) },
      ],
      500,
    );
    expect(t.extentMs).toBe(500);
    expect(t.rows.map((r) => [r.stepName, r.leftPct, r.widthPct])).toEqual([
      ["a", 0, 20],
      ["b", 30, 60],
    ]);
    // One attempt and no wait: nothing inside the bar to tell apart.
    expect(t.rows[1].segments).toEqual([]);
  });

  it("shows a retried step's attempts and the wait between them as segments on the run's axis", () => {
    const timing: StepTiming = {
      startMs: 100,
      durationMs: 400,
      exchanges: [exchange(1, 0, 100, 503), exchange(2, 300, 100, 200)],
      waits: [{ startMs: 100, durationMs: 200, reason: "HTTP 503" }],
    };
    const [row] = layoutRunTimeline([{ stepName: "flaky", status: "succeeded", durationMs: 400, timing }], 1000).rows;
    expect(row.attempts).toBe(2);
    expect(row.segments.map((s) => [s.kind, s.label, s.startMs, s.leftPct, s.widthPct])).toEqual([
      ["attempt", "Attempt 1 (HTTP 503)", 100, 10, 10],
      ["wait", "Wait before retry (HTTP 503)", 200, 20, 20],
      ["attempt", "Attempt 2 (HTTP 200)", 400, 40, 10],
    ]);
  });

  it("spans an attempt over its redirect hops, and names a wait for the outbound queue", () => {
    const timing: StepTiming = {
      startMs: 0,
      durationMs: 1000,
      exchanges: [exchange(1, 600, 100, 302), { ...exchange(1, 700, 200), hop: 1 }],
      waits: [{ startMs: 0, durationMs: 600, reason: "busy" }],
    };
    const [row] = layoutRunTimeline([{ stepName: "s", status: "succeeded", durationMs: 1000, timing }], null).rows;
    expect(row.segments.map((s) => [s.kind, s.label, s.startMs, s.durationMs])).toEqual([
      ["wait", "Waiting for a free outbound slot", 0, 600],
      ["attempt", "Attempt 1 (HTTP 200)", 600, 300],
    ]);
  });

  it("keeps a skipped step visible as a thin marker, and places records without timing one after another", () => {
    const t = layoutRunTimeline(
      [
        { stepName: "old1", status: "failed", durationMs: 200, timing: null },
        { stepName: "old2", status: "succeeded", durationMs: 200, timing: null },
        { stepName: "never", status: "skipped", durationMs: 0, timing: { startMs: 400, durationMs: 0, exchanges: [], waits: [] } },
      ],
      400,
    );
    expect(t.rows.map((r) => [r.stepName, r.startMs, r.leftPct])).toEqual([
      ["old1", 0, 0],
      ["old2", 200, 50],
      ["never", 400, 99.5],
    ]);
    expect(t.rows[2].widthPct).toBe(0.5);
  });
});
