import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * The box every list table sits in: a table wider than the screen scrolls sideways inside it, never the page.
 * A named region with a tab stop, so it can be scrolled with the keyboard as well.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard (axe scrollable-region-focusable).
    <section aria-label={label} tabIndex={0} className={cn("max-w-full overflow-x-auto", className)}>
      {children}
    </section>
  );
}
