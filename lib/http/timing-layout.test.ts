import { describe, expect, it } from "vitest";
import { axisTicks, formatMs, layoutWaterfall, placeOnAxis } from "./timing-layout";
import type { ExchangeTiming } from "./types";

const fresh: ExchangeTiming = {
  attempt: 1,
  hop: 0,
  startMs: 0,
  reusedConnection: false,
  status: 200,
  phases: [
    { name: "dns", startMs: 0, durationMs: 10 },
    { name: "connect", startMs: 10, durationMs: 10 },
    { name: "tls", startMs: 20, durationMs: 20 },
    { name: "ttfb", startMs: 40, durationMs: 50 },
    { name: "download", startMs: 90, durationMs: 10 },
  ],
};

describe("waterfall layout", () => {
  it("places each phase on the run's axis in proportion to its time", () => {
    const w = layoutWaterfall({ totalMs: 100, exchanges: [fresh] });
    expect(w?.rows).toHaveLength(1);
    expect(w?.rows[0].label).toBe("");
    expect(w?.rows[0].bars.map((b) => [b.label, b.leftPct, b.widthPct])).toEqual([
      ["DNS lookup", 0, 10],
      ["TCP connect", 10, 10],
      ["TLS handshake", 20, 20],
      ["Waiting (TTFB)", 40, 50],
      ["Download", 90, 10],
    ]);
  });

  it("labels attempts and redirect hops, marks a reused connection, and draws the waits", () => {
    const retry: ExchangeTiming = {
      ...fresh,
      attempt: 2,
      startMs: 150,
      reusedConnection: true,
      phases: [{ name: "ttfb", startMs: 150, durationMs: 50 }],
    };
    const hop: ExchangeTiming = { ...retry, hop: 1, startMs: 200, phases: [{ name: "ttfb", startMs: 200, durationMs: 0 }] };
    const w = layoutWaterfall({ totalMs: 200, exchanges: [fresh, retry, hop], waits: [{ startMs: 100, durationMs: 50, reason: "HTTP 503" }] });
    expect(w?.rows.map((r) => [r.label, r.reusedConnection])).toEqual([
      ["Attempt 1", false],
      ["Attempt 2", true],
      ["Attempt 2, redirect 1", true],
    ]);
    expect(w?.waits).toEqual([{ label: "Wait before retry (HTTP 503)", durationMs: 50, leftPct: 50, widthPct: 25 }]);
    // A zero-length phase at the very end stays visible and inside the axis.
    expect(w?.rows[2].bars[0]).toMatchObject({ leftPct: 99.5, widthPct: 0.5 });
  });

  it("has nothing to draw for a run without measured phases", () => {
    expect(layoutWaterfall({ totalMs: 5 })).toBeNull();
    expect(layoutWaterfall({ totalMs: 5, exchanges: [{ ...fresh, phases: [] }] })).toBeNull();
  });

  it("keeps bars inside the axis and picks round ticks", () => {
    expect(placeOnAxis(-5, 500, 100)).toEqual({ leftPct: 0, widthPct: 100 });
    expect(axisTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(730)).toEqual([0, 200, 400, 600]);
    expect(axisTicks(0)).toEqual([0]);
    expect(formatMs(0.25)).toBe("0.25 ms");
    expect(formatMs(1234)).toBe("1.23 s");
  });
});
