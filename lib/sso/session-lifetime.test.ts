import { describe, expect, it } from "vitest";
import { sessionMaxAgeSeconds } from "./session-lifetime";

describe("sessionMaxAgeSeconds", () => {
  it("is a week by default and follows PLUGBOARD_SESSION_HOURS", () => {
    expect(sessionMaxAgeSeconds(undefined)).toBe(7 * 24 * 3600);
    expect(sessionMaxAgeSeconds("12")).toBe(12 * 3600);
    expect(sessionMaxAgeSeconds("0.5")).toBe(1800);
  });

  it("refuses a value that is not a positive number of hours up to a year, naming the variable", () => {
    for (const bad of ["0", "-1", "abc", "9000"]) expect(() => sessionMaxAgeSeconds(bad)).toThrow(/PLUGBOARD_SESSION_HOURS/);
  });
});
