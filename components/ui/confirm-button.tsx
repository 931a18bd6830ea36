"use client";
import { useEffect, useState, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A destructive button that asks again: the first click turns it red with `confirmLabel`, the second
 * runs `onConfirm`. It resets after a few seconds or on Escape.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  pending,
  details,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  details?: ReactNode;
}) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = setTimeout(() => setArmed(false), 8000);
    return () => clearTimeout(timer);
  }, [armed]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape bubbling up from the button disarms it.
    <span className="inline-flex flex-col items-end gap-1" onKeyDown={(e) => e.key === "Escape" && setArmed(false)}>
      <Button
        type="button"
        size="sm"
        variant={armed ? "danger" : "secondary"}
        pending={pending}
        onClick={() => (armed ? onConfirm() : setArmed(true))}
      >
        {armed ? confirmLabel : label}
      </Button>
      {armed && details}
    </span>
  );
}
