import { describe, expect, it } from "vitest";
import { effectiveCheckSchedule, nextSlotAfter, slotOffsetMs } from "./schedule";

describe("check schedule", () => {
  it("defaults to daily for token holders and connections with a Test URL, off otherwise", () => {
    expect(effectiveCheckSchedule("default", { holdsToken: true, testUrl: "" })).toBe("daily");
    expect(effectiveCheckSchedule(undefined, { holdsToken: false, testUrl: "https://x/me" })).toBe("daily");
    expect(effectiveCheckSchedule("default", { holdsToken: false, testUrl: "" })).toBe("off");
    expect(effectiveCheckSchedule("hourly", { holdsToken: false, testUrl: "" })).toBe("hourly");
    expect(effectiveCheckSchedule("off", { holdsToken: true, testUrl: "https://x/me" })).toBe("off");
  });

  it("gives each connection one slot per period, at a fixed offset", () => {
    const period = 60_000;
    const id = "5b0c4bb1-9a77-4a40-9d55-2f0a4f0e7a11";
    const start = new Date("2026-01-01T00:00:00Z");
    const slots: number[] = [];
    let at = start;
    for (let i = 0; i < 5; i++) {
      at = nextSlotAfter(id, period, at);
      slots.push(at.getTime());
    }
    for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBe(period);
    expect(slots[0] - start.getTime()).toBeLessThanOrEqual(period);
    expect(slots[0] > start.getTime()).toBe(true);
    // Asking again from a moment inside the same period gives the same slot: no second check in that period.
    expect(nextSlotAfter(id, period, new Date(slots[0] - 1)).getTime()).toBe(slots[0]);
  });

  it("spreads a team's connections over the period (jitter)", () => {
    const period = 86_400_000;
    const offsets = Array.from({ length: 200 }, (_, i) => slotOffsetMs(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, period));
    for (const o of offsets) expect(o >= 0 && o < period).toBe(true);
    // 200 ids over 24 one-hour buckets: every hour has some and none has a third of them.
    const buckets = new Array(24).fill(0);
    for (const o of offsets) buckets[Math.floor(o / 3_600_000)]++;
    expect(Math.min(...buckets)).toBeGreaterThan(0);
    expect(Math.max(...buckets)).toBeLessThan(200 / 3);
  });
});
