"use client";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * The header's team switcher, navigation and user menu (the children): in the header row on md screens and
 * wider; below md, behind a menu button that shows them as a panel under the row. Escape and navigating close it.
 */
export function HeaderMenu({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();
  const [openedOn, setOpenedOn] = useState(pathname);
  // Navigating closes the menu (state adjusted while rendering, as React recommends over an effect).
  if (pathname !== openedOn) {
    setOpenedOn(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // A menu inside the panel (the user menu) that Escape closed has prevented the default: it keeps the panel open.
      if (event.key !== "Escape" || event.defaultPrevented) return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        // A click before hydration would be lost (no handler yet): the button waits for it, and says so.
        disabled={!hydrated}
        aria-busy={!hydrated}
        onClick={() => setOpen((value) => !value)}
        className="ml-auto flex size-10 items-center justify-center rounded-md text-zinc-700 hover:bg-zinc-100 md:hidden"
      >
        <span className="sr-only">Menu</span>
        <svg aria-hidden viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: only notices a followed link (Enter on a link is a click too); the links are the controls. */}
      <div
        id={panelId}
        // Following a link to the page already shown does not change the path: close on the click itself.
        onClick={(event) => {
          if (event.target instanceof Element && event.target.closest("a[href]")) setOpen(false);
        }}
        className={cn("flex w-full flex-col gap-3 pb-4 md:contents", !open && "max-md:hidden")}
      >
        {children}
      </div>
    </>
  );
}
