import { describe, expect, it } from "vitest";
import { attentionAdvice, attentionReasons } from "./attention";

const now = new Date("2026-06-01T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const connection = (over: Partial<Parameters<typeof attentionAdvice>[1]> = {}) => ({
  lastVerifyMessage: "Test URL api.example.com answered HTTP 401",
  health: { expiresAt: null as Date | null },
  reauthorize: null as "consent" | "new_token" | null,
  createdByName: "Ada",
  ...over,
});

describe("needs attention", () => {
  it("names each reason, most urgent first", () => {
    expect(attentionReasons({ status: "verified", health: { expiresAt: inDays(30) } }, now)).toEqual([]);
    expect(attentionReasons({ status: "verified", health: { expiresAt: inDays(14) } }, now)).toEqual(["expiring"]);
    expect(attentionReasons({ status: "failed", health: { expiresAt: inDays(-1) } }, now)).toEqual(["check_failed", "expired"]);
    expect(attentionReasons({ status: "needs_reauthorization", health: { expiresAt: null } }, now)).toEqual(["needs_reauthorization"]);
    expect(attentionReasons({ status: "needs_credentials", health: { expiresAt: inDays(3) } }, now)).toEqual(["needs_credentials", "expiring"]);
  });

  it("asks for the secrets of a connection imported without them", () => {
    expect(attentionAdvice("needs_credentials", connection(), { isCreator: true, isAdmin: true, adminNames: [] }, now)).toEqual({
      why: "It was imported without its secrets: no request is sent with it until they are entered.",
      action: "credentials",
      todo: "Open it, choose Enter credentials and type its secrets (the other settings came with the import). You set it up.",
    });
  });

  it("says what to do and whom to ask, by the viewer", () => {
    const creator = { isCreator: true, isAdmin: false, adminNames: ["Ada"] };
    const other = { isCreator: false, isAdmin: false, adminNames: ["Ada", "Bo"] };
    expect(attentionAdvice("needs_reauthorization", connection({ reauthorize: "consent" }), other, now)).toMatchObject({
      action: "reauthorize",
      todo: "Click Reauthorize and grant access at the provider again.",
    });
    // A type that gets its tokens by itself (client credentials, password) needs working credentials, not a consent.
    expect(attentionAdvice("needs_reauthorization", connection({ reauthorize: "new_token" }), other, now)).toMatchObject({
      action: "edit",
      todo: expect.stringMatching(/^Edit it and enter working credentials\. Ada set it up/),
    });
    const failed = attentionAdvice("check_failed", connection(), creator, now);
    expect(failed).toMatchObject({ action: "edit", why: "Its last check failed: Test URL api.example.com answered HTTP 401" });
    expect(failed.todo).toContain("You set it up.");
    expect(attentionAdvice("check_failed", connection(), other, now).todo).toContain("Ada set it up");
    expect(attentionAdvice("expiring", connection({ createdByName: null, health: { expiresAt: inDays(2) } }), other, now)).toMatchObject({
      action: "edit",
      why: "Its credential expires in 2 days (2026-06-03).",
      todo: expect.stringContaining("Ask an admin (Ada, Bo)"),
    });
  });
});
