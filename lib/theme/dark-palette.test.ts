import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DARK_PALETTE_FILE, generateDarkPalette } from "@/scripts/generate-dark-palette";
import { darkPaletteCss, readPalette } from "./dark-palette";

const SHADES = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 950];
/** A hue whose lightness is 100 - shade/10 (%), so each shade is recognisable in the output. */
const hue = (name: string, h: number) => SHADES.map((s) => `--color-${name}-${s}: oklch(${100 - s / 10}% 0.1 ${h});`).join("\n");
const THEME = `${hue("red", 20)}\n${hue("zinc", 280)}\n--color-white: #fff;`;

describe("dark palette", () => {
  const css = darkPaletteCss(readPalette(THEME));

  it("mirrors a hue's shades, keeping the middle one", () => {
    expect(css).toContain("--color-red-50: light-dark(oklch(95% 0.1 20), oklch(5% 0.1 20));");
    expect(css).toContain("--color-red-700: light-dark(oklch(30% 0.1 20), oklch(70% 0.1 20));");
    expect(css).toContain("--color-red-500: light-dark(oklch(50% 0.1 20), oklch(50% 0.1 20));");
  });

  it("steps grey surfaces up from the page and lifts muted text", () => {
    expect(css).toContain("--color-zinc-50: light-dark(oklch(95% 0.1 280), oklch(5% 0.1 280));");
    expect(css).toContain("--color-white: light-dark(#fff, oklch(10% 0.1 280));");
    expect(css).toContain("--color-zinc-100: light-dark(oklch(90% 0.1 280), oklch(20% 0.1 280));");
    expect(css).toContain("--color-zinc-200: light-dark(oklch(80% 0.1 280), oklch(25% 0.1 280));");
    expect(css).toContain("--color-zinc-500: light-dark(oklch(50% 0.1 280), oklch(60% 0.1 280));");
    expect(css).toContain("--color-zinc-600: light-dark(oklch(40% 0.1 280), oklch(65% 0.1 280));");
  });

  it("refuses a palette with a shade missing", () => {
    expect(() => darkPaletteCss(readPalette("--color-red-50: oklch(95% 0.1 20);"))).toThrow("--color-red-950 is missing");
  });

  it("is up to date with the installed Tailwind palette", () => {
    expect(readFileSync(DARK_PALETTE_FILE, "utf8")).toBe(generateDarkPalette());
  });
});
