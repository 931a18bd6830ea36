import { cookies } from "next/headers";
import { parseThemePreference, THEME_COOKIE, THEME_COOKIE_MAX_AGE, type ThemePreference } from "./preference";

/** The signed-in or anonymous visitor's theme, from the cookie the user menu sets. */
export async function currentThemePreference(): Promise<ThemePreference> {
  return parseThemePreference((await cookies()).get(THEME_COOKIE)?.value);
}

/** Only from a server action or route handler (Next refuses cookie writes while rendering). */
export async function saveThemePreference(theme: ThemePreference): Promise<void> {
  (await cookies()).set(THEME_COOKIE, theme, { path: "/", maxAge: THEME_COOKIE_MAX_AGE, sameSite: "lax", httpOnly: true });
}
