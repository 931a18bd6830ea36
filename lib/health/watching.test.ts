import { describe, expect, it } from "vitest";
import { watchingRows } from "./watching";

const now = new Date("2026-06-01T12:00:00Z");
const at = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe("watching rows", () => {
  it("says the check schedule, the keep-alive and the expiry, each with when it next happens", () => {
    expect(watchingRows({ checkSchedule: "daily", nextCheckAt: at(5), keepAlive: "daily", nextKeepAliveAt: at(7), expiresAt: at(48) }, now)).toEqual([
      { label: "Health checks", value: "Every day", next: at(5) },
      { label: "Keep-alive", value: "Every day: a new token with the refresh token", next: at(7) },
      { label: "Credential", value: "expires in 2 days (2026-06-03)", next: null },
    ]);
    expect(watchingRows({ checkSchedule: "off", nextCheckAt: null, keepAlive: "off", nextKeepAliveAt: null, expiresAt: null }, now)).toEqual([
      { label: "Health checks", value: "Off: checked only when someone clicks Verify", next: null },
    ]);
  });
});
