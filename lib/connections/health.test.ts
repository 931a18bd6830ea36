import { describe, expect, it } from "vitest";
import { EXPIRING_SOON_MS, formatExpiry, HEALTH_STRIP_MAX, healthSegments, segmentLabel, tokenEventLabel } from "./health";

const t0 = new Date("2026-11-29T08:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const base = { checks: [], events: [], status: "verified", createdAt: t0, tokenExpiresAt: null, now: at(600) };
const check = (id: string, source: string, outcome: string, minutes: number) => ({
  id,
  source,
  outcome,
  message: `${source} ${outcome}`,
  createdAt: at(minutes),
});
const event = (id: string, kind: string, minutes: number, attempts: number | null = null) => ({
  id,
  kind,
  message: kind,
  attempts,
  createdAt: at(minutes),
});

describe("health strip", () => {
  it("colours checks and token events and orders them oldest first", () => {
    const segments = healthSegments({
      ...base,
      checks: [check("c1", "verify", "failed", 3), check("c2", "verify", "ok", 1), check("c3", "save", "unchecked", 0)],
      events: [event("e1", "refreshed", 2, 3), event("e2", "refresh_failed", 4), event("e3", "reauthorized", 5), event("e4", "issued", 0.5)],
    });
    expect(segments.map((s) => [s.key, s.tone, s.title])).toEqual([
      ["check-c3", "warning", "Saved, not checked"],
      ["token-e4", "ok", "Issued"],
      ["check-c2", "ok", "Verify passed"],
      ["token-e1", "warning", "Refreshed after 3 attempts"],
      ["check-c1", "failed", "Verify failed"],
      ["token-e2", "failed", "Refresh failed"],
      ["token-e3", "ok", "Reauthorized"],
    ]);
  });

  it("says when and what in each segment's label", () => {
    const [s] = healthSegments({ ...base, checks: [check("c1", "verify", "failed", 5)] });
    expect(segmentLabel(s)).toBe("Failed, 2026-11-29 08:05 UTC: Verify failed. verify failed");
  });

  it("keeps the newest segments only", () => {
    const checks = Array.from({ length: HEALTH_STRIP_MAX + 5 }, (_, i) => check(`c${i}`, "verify", "ok", i));
    const segments = healthSegments({ ...base, checks });
    expect(segments).toHaveLength(HEALTH_STRIP_MAX);
    expect(segments[0].key).toBe("check-c5");
  });

  it("shows a connection never checked amber, and a revoked grant red at the end", () => {
    expect(healthSegments({ ...base, status: "never_verified" }).map((s) => [s.tone, s.title])).toEqual([["warning", "Never verified"]]);
    expect(healthSegments({ ...base, status: "verified" })).toEqual([]);
    const revoked = healthSegments({ ...base, status: "needs_reauthorization", events: [event("e1", "refresh_failed", 1)] });
    expect(revoked.at(-1)).toMatchObject({ tone: "failed", title: "Needs reauthorization" });
  });

  it("warns of a token expiring soon, not of one with time left", () => {
    const now = at(10);
    const soon = healthSegments({ ...base, now, tokenExpiresAt: new Date(now.getTime() + EXPIRING_SOON_MS - 1000) });
    expect(soon).toEqual([expect.objectContaining({ tone: "warning", title: "Access token expires in 59 s" })]);
    expect(healthSegments({ ...base, now, tokenExpiresAt: new Date(now.getTime() + EXPIRING_SOON_MS + 60_000) })).toEqual([]);
    const expired = healthSegments({ ...base, now, tokenExpiresAt: new Date(now.getTime() - 3 * 60_000) });
    expect(expired).toEqual([expect.objectContaining({ tone: "warning", title: "Access token expired 3 min ago" })]);
  });

  it("labels every token event kind, including reauthorized", () => {
    expect(tokenEventLabel("reauthorized")).toBe("Reauthorized");
    expect(tokenEventLabel("authorization_failed")).toBe("Consent failed");
    expect(tokenEventLabel("something_new")).toBe("something_new");
  });
});

describe("token expiry in words", () => {
  const now = new Date("2026-11-29T08:00:00Z");
  const plus = (ms: number) => new Date(now.getTime() + ms);
  it.each([
    [12 * 60_000 + 59_000, "expires in 12 min"],
    [45_000, "expires in 45 s"],
    [0, "expires in 0 s"],
    [-3 * 60_000 - 10_000, "expired 3 min ago"],
    [-1000, "expired 1 s ago"],
    [2 * 3_600_000 + 5 * 60_000, "expires in 2 h 5 min"],
    [3 * 3_600_000, "expires in 3 h"],
    [3 * 86_400_000 + 1000, "expires in 3 days"],
    [-50 * 3_600_000, "expired 2 days ago"],
  ])("%i ms from now: %s", (ms, words) => {
    expect(formatExpiry(plus(ms), now)).toBe(words);
  });
});
