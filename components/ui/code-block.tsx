import type { ComponentProps, ReactNode } from "react";

/**
 * Preformatted text that may scroll (a body, a curl command), in a named region with a tab stop, so it can be
 * scrolled with the keyboard as well (axe scrollable-region-focusable). `className` styles the scrolling box.
 */
export function CodeBlock({ label, children, ...props }: { label: string; children: ReactNode } & Omit<ComponentProps<"section">, "tabIndex">) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard.
    <section aria-label={label} tabIndex={0} {...props}>
      <pre>{children}</pre>
    </section>
  );
}
