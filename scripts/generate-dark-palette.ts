import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { darkPaletteCss, readPalette } from "@/lib/theme/dark-palette";

/** Writes app/dark-palette.css from the installed Tailwind's palette; rerun after upgrading Tailwind. */
export const DARK_PALETTE_FILE = "app/dark-palette.css";

export function generateDarkPalette(): string {
  const themeCss = readFileSync(createRequire(import.meta.url).resolve("tailwindcss/theme.css"), "utf8");
  return darkPaletteCss(readPalette(themeCss));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(DARK_PALETTE_FILE, generateDarkPalette());
  console.log(`wrote ${DARK_PALETTE_FILE}`);
}
