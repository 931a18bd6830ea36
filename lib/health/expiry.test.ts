import { describe, expect, it } from "vitest";
import { expiryInDays, expiryThreshold } from "./expiry";

const DAY = 86_400_000;
const now = new Date("2026-03-01T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * DAY);
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
});
