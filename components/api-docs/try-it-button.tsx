"use client";
import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { TryItOperation } from "./try-it-panel";

// The panel (inputs, the request, the answer) loads when first opened: the documentation page stays light.
const TryItPanel = dynamic(() => import("./try-it-panel").then((m) => m.TryItPanel), { ssr: false });

/** "Try it" under an operation: calls it from the browser as the signed-in user, with a short-lived token. */
export function TryItButton({ operation, allowed }: { operation: TryItOperation; allowed: boolean }) {
  const [open, setOpen] = useState(false);
  if (!allowed) return <p className="mt-3 text-xs text-zinc-500">Try it: this operation needs the {operation.role} role.</p>;
  return (
    <div className="mt-3">
      <Button variant="secondary" size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "Close Try it" : "Try it"}
      </Button>
      {open && <TryItPanel operation={operation} />}
    </div>
  );
}
