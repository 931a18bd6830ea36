import { describe, expect, it } from "vitest";
import { expiryInDays, expiryThreshold, expiryThresholdCrossings, type ExpiringConnection } from "./expiry";

const DAY = 86_400_000;
const now = new Date("2026-03-01T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * DAY);
const conn = (id: string, expiresAt: Date, lastReminderDays: ExpiringConnection["lastReminderDays"] = null): ExpiringConnection => ({
  id,
  teamId: "t",
  name: id,
  expiresAt,
  lastReminderDays,
});

describe("expiry", () => {
  it("says expires in N days", () => {
    expect(expiryInDays(inDays(12), now)).toBe("expires in 12 days");
    expect(expiryInDays(inDays(0.5), now)).toBe("expires in 1 day");
    expect(expiryInDays(inDays(-3), now)).toBe("expired 3 days ago");
    expect(expiryInDays(inDays(-0.1), now)).toBe("expired today");
  });

  it("finds the nearest threshold a credential is within", () => {
    expect(expiryThreshold(inDays(20), now)).toBeNull();
    expect(expiryThreshold(inDays(14), now)).toBe(14);
    expect(expiryThreshold(inDays(10), now)).toBe(14);
    expect(expiryThreshold(inDays(2), now)).toBe(3);
    expect(expiryThreshold(inDays(0.5), now)).toBe(1);
    expect(expiryThreshold(inDays(-1), now)).toBeNull();
  });

  it("reports each threshold once, skipping the ones already passed when saved", () => {
    const cert = conn("cert", inDays(2));
    const [first] = expiryThresholdCrossings([cert, conn("far", inDays(40)), conn("gone", inDays(-1))], now);
    expect(first).toMatchObject({ connection: { id: "cert" }, thresholdDays: 3 });
    // Reminded at 3 days: nothing more until the 1-day threshold.
    expect(expiryThresholdCrossings([{ ...cert, lastReminderDays: 3 }], new Date(now.getTime() + 0.5 * DAY))).toEqual([]);
    const [last] = expiryThresholdCrossings([{ ...cert, lastReminderDays: 3 }], new Date(now.getTime() + 1.5 * DAY));
    expect(last.thresholdDays).toBe(1);
    expect(expiryThresholdCrossings([{ ...cert, lastReminderDays: 1 }], new Date(now.getTime() + 1.9 * DAY))).toEqual([]);
    // A new expiry date gives a new key.
    expect(expiryThresholdCrossings([conn("cert", inDays(2.5))], now)[0].dedupeKey).not.toBe(first.dedupeKey);
  });

  it("walks 14, 3, 1 for a credential watched from afar", () => {
    const expiresAt = inDays(20);
    let last: ExpiringConnection["lastReminderDays"] = null;
    const sent: number[] = [];
    for (let h = 0; h < 21 * 24; h += 6) {
      const at = new Date(now.getTime() + h * 3_600_000);
      for (const c of expiryThresholdCrossings([conn("k", expiresAt, last)], at)) {
        sent.push(c.thresholdDays);
        last = c.thresholdDays;
      }
    }
    expect(sent).toEqual([14, 3, 1]);
  });
});
