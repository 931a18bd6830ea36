import { describe, expect, it } from "vitest";
import { parseThemePreference, themeAttribute } from "./preference";

describe("theme preference", () => {
  it("reads the three choices from the cookie", () => {
    expect(parseThemePreference("light")).toBe("light");
    expect(parseThemePreference("dark")).toBe("dark");
    expect(parseThemePreference("system")).toBe("system");
  });

  it("follows the system for an absent or unknown value", () => {
    expect(parseThemePreference(undefined)).toBe("system");
    expect(parseThemePreference("DARK")).toBe("system");
    expect(parseThemePreference("dark; path=/")).toBe("system");
  });

  it("sets the html attribute only for an explicit choice", () => {
    expect(themeAttribute("dark")).toBe("dark");
    expect(themeAttribute("light")).toBe("light");
    expect(themeAttribute("system")).toBeUndefined();
  });
});
