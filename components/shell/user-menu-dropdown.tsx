"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import Link from "next/link";
import { useTransition } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { ThemeMenuItems } from "./theme-menu-items";
import { USER_MENU_TRIGGER_CLASS, UserMenuTriggerContent } from "./user-menu-trigger";

/** The user menu itself (Radix), loaded by ./user-menu.tsx on first use; `defaultOpen` when that use was a click. */
export function UserMenuDropdown({ name, email, defaultOpen }: { name: string; email: string; defaultOpen: boolean }) {
  const [, startTransition] = useTransition();
  return (
    <DropdownMenu.Root modal={false} defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger className={USER_MENU_TRIGGER_CLASS}>
        <UserMenuTriggerContent name={name} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-zinc-500">{email}</DropdownMenu.Label>
          <DropdownMenu.Item asChild className="block cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100">
            <Link href="/teams/new">Create a team</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className="block cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100">
            <Link href="/profile">Profile</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <ThemeMenuItems />
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <DropdownMenu.Item
            className="block w-full cursor-pointer rounded px-2 py-1.5 text-left text-sm outline-none data-[highlighted]:bg-zinc-100"
            // The menu unmounts on select, so the action is called directly rather than through a <form>.
            onSelect={() => startTransition(async () => void (await signOutAction({})))}
          >
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
