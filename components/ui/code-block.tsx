import type { ComponentProps } from "react";

/**
 * Preformatted text that may scroll (a body, a curl command): a named region with a tab stop, so it can be
 * scrolled with the keyboard as well (axe scrollable-region-focusable).
 */
export function CodeBlock({ label, ...props }: { label: string } & Omit<ComponentProps<"pre">, "tabIndex" | "role">) {
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard.
  return <pre role="region" aria-label={label} tabIndex={0} {...props} />;
}
