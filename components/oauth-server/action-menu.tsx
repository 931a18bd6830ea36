"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Button } from "@/components/ui/button";
import type { ActionMenuProps } from "./lazy-action-menu";

const menuItem = "block cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100";

/** The menu itself (Radix), loaded by ./lazy-action-menu.tsx on first use; `defaultOpen` when that use was a click. */
export function ActionMenu({ trigger, items, contentClassName, defaultOpen }: ActionMenuProps & { defaultOpen: boolean }) {
  return (
    <DropdownMenu.Root modal={false} defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger asChild>
        <Button variant={trigger.variant} size={trigger.size} aria-label={trigger.ariaLabel}>
          {trigger.label}
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content
        align="end"
        sideOffset={6}
        className={`z-30 rounded-md border border-zinc-200 bg-white p-1 shadow-lg ${contentClassName}`}
      >
        {items.map((item) => (
          <DropdownMenu.Item key={item.label} className={item.danger ? `${menuItem} text-red-700` : menuItem} onSelect={item.onSelect}>
            {item.label}
          </DropdownMenu.Item>
        ))}
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
