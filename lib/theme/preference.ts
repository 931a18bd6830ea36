/**
 * The user's theme: follow the system's light/dark setting, or always one of them. Zod-free, because the
 * user menu (on every page) imports it; the action's schema is in ./schema.ts, built from the same list.
 */
export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemePreference = (typeof THEME_CHOICES)[number];

/** A cookie, not local storage: the server reads it so the first paint already has the theme. */
export const THEME_COOKIE = "plugboard-theme";
export const THEME_COOKIE_MAX_AGE = 400 * 24 * 60 * 60; // the longest browsers keep a cookie (RFC 6265bis)

/** Anything but a known choice (absent, edited by hand) follows the system. */
export function parseThemePreference(value: string | undefined): ThemePreference {
  return THEME_CHOICES.find((choice) => choice === value) ?? "system";
}

/** `<html data-theme>`: set for an explicit choice, absent to let `prefers-color-scheme` decide. */
export function themeAttribute(theme: ThemePreference): "light" | "dark" | undefined {
  return theme === "system" ? undefined : theme;
}
