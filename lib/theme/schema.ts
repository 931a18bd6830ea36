import { z } from "zod";
import { THEME_CHOICES } from "./preference";

/** The profile's theme action input. */
export const themePreferenceSchema = z.object({ theme: z.enum(THEME_CHOICES) });
