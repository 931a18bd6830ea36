"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteConnectionAction, reauthorizeConnectionAction, verifyConnectionAction } from "@/app/(app)/connections/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { cn } from "@/components/ui/cn";
import type { ConnectionRowData } from "./connection-row";

/**
 * A connection's actions (Verify, Reauthorize, Edit, Delete) and the answer of the last one, the same in
 * the Connections list and on the connection's page. Edit is the caller's (it owns the dialog); after a
 * delete the caller decides where to go (`onDeleted`, the list by default refreshes).
 */
export type ActionResult = { ok: boolean; message: string };

export function ConnectionActions({
  connection: c,
  onEdit,
  onDeleted,
  align = "end",
  onResult,
  returnPath,
}: {
  connection: ConnectionRowData;
  onEdit: () => void;
  onDeleted?: () => void;
  align?: "start" | "end";
  /** Given, the caller shows the answer (the list puts it under the status, once); else it is shown here. */
  onResult?: (result: ActionResult | null) => void;
  /** Where a Reauthorize consent comes back to (absent: the Connections tab). */
  returnPath?: string;
}) {
  const router = useRouter();
  const [verifying, startVerify] = useTransition();
  const [busy, startBusy] = useTransition();
  const [result, setOwnResult] = useState<ActionResult | null>(null);
  const setResult = (next: ActionResult | null) => (onResult ? onResult(next) : setOwnResult(next));

  const verify = () =>
    startVerify(async () => {
      setResult(null);
      const r = await verifyConnectionAction({ connectionId: c.id });
      setResult(r.ok ? { ok: r.data.ok, message: r.data.message } : { ok: false, message: r.error });
      router.refresh();
    });
  const reauthorize = () =>
    startBusy(async () => {
      setResult(null);
      const r = await reauthorizeConnectionAction({ connectionId: c.id, returnPath });
      if (!r.ok) return setResult({ ok: false, message: r.error });
      if (r.data.redirectUrl) return window.location.assign(r.data.redirectUrl);
      setResult({ ok: r.data.ok, message: r.data.message });
      router.refresh();
    });
  const remove = () =>
    startBusy(async () => {
      const r = await deleteConnectionAction({ connectionId: c.id });
      if (!r.ok) setResult({ ok: false, message: r.error });
      else if (onDeleted) onDeleted();
      else router.refresh();
    });

  return (
    <>
      <div className={cn("flex gap-2", align === "end" ? "justify-end" : "flex-wrap justify-start")}>
        <Button size="sm" variant="secondary" onClick={verify} pending={verifying}>
          {verifying ? "Verifying…" : "Verify"}
        </Button>
        {c.reauthorize && (
          <Button size="sm" variant="secondary" onClick={reauthorize} disabled={busy}>
            Reauthorize
          </Button>
        )}
        {/* Imported without its secrets: the one thing to do is to enter them (the edit form asks for each). */}
        <Button size="sm" variant={c.status === "needs_credentials" ? "primary" : "secondary"} onClick={onEdit}>
          {c.status === "needs_credentials" ? "Enter credentials" : "Edit"}
        </Button>
        <ConfirmButton
          label="Delete"
          confirmLabel={`Delete ${c.name}?`}
          pending={busy}
          onConfirm={remove}
          details={
            <span className="max-w-xs text-right text-xs text-red-700">
              {c.usedBy.length
                ? `Used by ${c.usedBy.join(", ")}: they will fail until given another connection.`
                : "Its stored secrets are deleted. Click again to confirm."}
            </span>
          }
        />
      </div>
      {result && (
        <p role="status" className={cn("mt-1 text-xs", align === "end" && "text-right", result.ok ? "text-green-700" : "text-red-700")}>
          {result.ok ? "✓ " : ""}
          {result.message}
        </p>
      )}
    </>
  );
}
