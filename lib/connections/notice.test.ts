import { describe, expect, it } from "vitest";
import { dismissNoticeSchema, newNoticeCookie, pickNotice } from "./notice";

describe("connection notices", () => {
  it("each outcome has its own cookie, so dismissing one never deletes a newer one", () => {
    const older = newNoticeCookie();
    const newer = newNoticeCookie();
    expect(older).not.toBe(newer);
    const jar = [
      { name: older, value: JSON.stringify({ ok: true, message: "Connected.", at: 1 }) },
      { name: newer, value: JSON.stringify({ ok: false, message: "This authorization answer is invalid.", at: 2 }) },
      { name: "other", value: JSON.stringify({ ok: true, message: "not a notice", at: 3 }) },
    ];
    expect(pickNotice(jar)).toEqual({ ok: false, message: "This authorization answer is invalid.", at: 2, cookie: newer });
    // What the tab dismisses after showing the older one names only that cookie.
    expect(pickNotice(jar.filter((c) => c.name !== older))?.cookie).toBe(newer);
  });

  it("ignores malformed values and dismisses notice cookies only", () => {
    expect(pickNotice([{ name: newNoticeCookie(), value: "{" }])).toBeNull();
    expect(dismissNoticeSchema.safeParse({ cookie: "authjs.session-token" }).success).toBe(false);
    expect(dismissNoticeSchema.safeParse({ cookie: newNoticeCookie() }).success).toBe(true);
  });
});
