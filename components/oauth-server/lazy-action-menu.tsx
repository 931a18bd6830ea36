"use client";
import { type ComponentProps, useState } from "react";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { ActionMenu } from "./action-menu";

export type ActionMenuProps = {
  trigger: { label: string; ariaLabel?: string; variant?: ComponentProps<typeof Button>["variant"]; size?: ComponentProps<typeof Button>["size"] };
  items: { label: string; danger?: boolean; onSelect: () => void }[];
  contentClassName: string;
};

let loading: Promise<typeof ActionMenu> | undefined;
function loadMenu() {
  loading ??= import("./action-menu").then(
    (m) => m.ActionMenu,
    (error: unknown) => {
      loading = undefined; // tried again on the next click
      throw error;
    },
  );
  return loading;
}

/**
 * A button opening a menu of actions. Radix's menu (about 30 KiB gzipped) is not in the page's first load
 * (issue 13's JS budget): this plain button stands in for its trigger, starts loading it when pointed at or
 * focused, and a click (or Enter / Space) opens it once loaded — as the user menu does.
 */
export function LazyActionMenu(props: ActionMenuProps) {
  const [Loaded, setLoaded] = useState<typeof ActionMenu | null>(null);
  const hydrated = useHydrated();
  if (Loaded) return <Loaded {...props} defaultOpen />;
  const preload = () => void loadMenu().catch(() => {});
  return (
    <Button
      type="button"
      variant={props.trigger.variant}
      size={props.trigger.size}
      aria-label={props.trigger.ariaLabel}
      aria-haspopup="menu"
      aria-expanded={false}
      // A click before hydration would be lost (no handler yet): the button waits for it, and says so.
      disabled={!hydrated}
      aria-busy={!hydrated}
      onPointerEnter={preload}
      onFocus={preload}
      onClick={() => void loadMenu().then((menu) => setLoaded(() => menu))}
    >
      {props.trigger.label}
    </Button>
  );
}
