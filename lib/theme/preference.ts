import { z } from "zod";

/** The user's theme: follow the system's light/dark setting, or always one of them. */
export const themePreferenceSchema = z.object({ theme: z.enum(["system", "light", "dark"]) });
export type ThemePreference = z.infer<typeof themePreferenceSchema>["theme"];

/** A cookie, not local storage: the server reads it so the first paint already has the theme. */
export const THEME_COOKIE = "plugboard-theme";
export const THEME_COOKIE_MAX_AGE = 400 * 24 * 60 * 60; // the longest browsers keep a cookie (RFC 6265bis)

/** Anything but a known choice (absent, edited by hand) follows the system. */
export function parseThemePreference(value: string | undefined): ThemePreference {
  const parsed = themePreferenceSchema.shape.theme.safeParse(value);
  return parsed.success ? parsed.data : "system";
}

/** `<html data-theme>`: set for an explicit choice, absent to let `prefers-color-scheme` decide. */
export function themeAttribute(theme: ThemePreference): "light" | "dark" | undefined {
  return theme === "system" ? undefined : theme;
}
