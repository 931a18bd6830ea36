"use client";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { UserMenuDropdown } from "./user-menu-dropdown";
import { USER_MENU_TRIGGER_CLASS, UserMenuTriggerContent } from "./user-menu-trigger";

type Loaded = { Dropdown: typeof UserMenuDropdown; open: boolean };

let loading: Promise<typeof UserMenuDropdown> | undefined;
function loadDropdown() {
  loading ??= import("./user-menu-dropdown").then(
    (m) => m.UserMenuDropdown,
    (error: unknown) => {
      loading = undefined; // tried again on the next click
      throw error;
    },
  );
  return loading;
}

/**
 * The user menu on every signed-in page. Radix's menu (about 30 KiB gzipped with its focus and layer
 * machinery) is not in the page's first load (issue 13's JS budget): this button stands in for its trigger,
 * starts loading it when pointed at or focused, and a click opens it once loaded.
 */
export function UserMenu({ name, email }: { name: string; email: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const hydrated = useHydrated();
  if (loaded) return <loaded.Dropdown name={name} email={email} defaultOpen={loaded.open} />;
  const preload = () => void loadDropdown().catch(() => {});
  return (
    <button
      type="button"
      aria-haspopup="menu"
      aria-expanded={false}
      // A click before hydration would be lost (no handler yet): the button waits for it, and says so.
      disabled={!hydrated}
      aria-busy={!hydrated}
      className={USER_MENU_TRIGGER_CLASS}
      onPointerEnter={preload}
      onFocus={preload}
      onClick={() => void loadDropdown().then((Dropdown) => setLoaded({ Dropdown, open: true }))}
    >
      <UserMenuTriggerContent name={name} />
    </button>
  );
}
