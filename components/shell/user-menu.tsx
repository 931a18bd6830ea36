"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import Link from "next/link";
import { useTransition } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { ThemeMenuItems } from "./theme-menu-items";

export function UserMenu({ name, email }: { name: string; email: string }) {
  const [, startTransition] = useTransition();
  return (
    <DropdownMenu.Root modal={false}>
      {/* Named by its content, not aria-label: the visible name must be part of the accessible one (WCAG 2.5.3). */}
      <DropdownMenu.Trigger className="flex h-9 items-center gap-2 rounded-md px-2 text-sm hover:bg-zinc-100">
        <span className="flex size-7 items-center justify-center rounded-full bg-indigo-100 font-semibold text-indigo-800" aria-hidden>
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="sr-only">User menu: </span>
        <span className="max-sm:sr-only">{name}</span>
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
