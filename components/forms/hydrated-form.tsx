"use client";
import type { ComponentProps } from "react";
import { cn } from "@/components/ui/cn";
import { useHydrated } from "@/components/ui/use-hydrated";

type FieldsetProps = Omit<ComponentProps<"fieldset">, "disabled"> & {
  /** Still loading the values the fields will show (an entry being opened): typing now would be overwritten. */
  busy?: boolean;
};

/**
 * Fields that accept input only once the page is hydrated (and nothing is loading into them). Before
 * hydration the server's inputs take typing that react-hook-form then overwrites with the saved value when
 * it registers them, so typed and saved text merged; a disabled fieldset disables every control inside it
 * at once, in the server's HTML too, and says why with aria-busy.
 */
export function HydratedFieldset({ busy = false, className, ...props }: FieldsetProps) {
  const hydrated = useHydrated();
  const waiting = !hydrated || busy;
  // min-w-0: a fieldset's default min-width (its content's) would let long values widen the page.
  return <fieldset {...props} disabled={waiting} aria-busy={waiting} className={cn("min-w-0", className)} />;
}

/**
 * A <form> whose fields wait for hydration (see HydratedFieldset). Its className lays out the fields, as a
 * form's would; the form element itself only carries the submit handler and the label.
 */
export function HydratedForm({ busy, className, children, ...props }: ComponentProps<"form"> & { busy?: boolean }) {
  return (
    <form {...props}>
      <HydratedFieldset busy={busy} className={className}>
        {children}
      </HydratedFieldset>
    </form>
  );
}
