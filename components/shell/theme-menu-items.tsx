"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useState, useTransition } from "react";
import { setThemeAction } from "@/app/(app)/profile/actions";
import { parseThemePreference, themeAttribute, type ThemePreference } from "@/lib/theme/preference";

const CHOICES: { value: ThemePreference; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

/** What the page shows now: the server rendered <html data-theme> from the cookie (absent = system). */
function themeOnPage(): ThemePreference {
  return parseThemePreference(document.documentElement.dataset.theme);
}

function showTheme(theme: ThemePreference) {
  const attribute = themeAttribute(theme);
  if (attribute) document.documentElement.dataset.theme = attribute;
  else delete document.documentElement.dataset.theme;
}

/** The user menu's theme choice. Mounted only while the menu is open, so it reads the page, never the server render. */
export function ThemeMenuItems() {
  const [theme, setTheme] = useState<ThemePreference>(themeOnPage);
  const [, startTransition] = useTransition();
  return (
    <DropdownMenu.Group>
      <DropdownMenu.Label className="px-2 py-1.5 text-xs text-zinc-600">Theme</DropdownMenu.Label>
      <DropdownMenu.RadioGroup
        value={theme}
        onValueChange={(value) => {
          const previous = theme;
          const next = parseThemePreference(value);
          setTheme(next);
          showTheme(next); // at once, not after the round trip
          startTransition(async () => {
            const result = await setThemeAction({ theme: next });
            if (!result.ok) showTheme(previous);
          });
        }}
      >
        {CHOICES.map((choice) => (
          <DropdownMenu.RadioItem
            key={choice.value}
            value={choice.value}
            // Keep the menu open: the choice is seen on the page behind it.
            onSelect={(event) => event.preventDefault()}
            className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100"
          >
            <span className="w-4 text-center" aria-hidden>
              <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
            </span>
            {choice.label}
          </DropdownMenu.RadioItem>
        ))}
      </DropdownMenu.RadioGroup>
    </DropdownMenu.Group>
  );
}
