"use client";
import { useState, useTransition } from "react";
import { deleteVariableAction } from "@/app/(app)/team/variables/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** Delete with a second click; requests and flows naming the variable are refused until it exists again. */
export function DeleteVariable({ id, name }: { id: string; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col items-end gap-1">
      <ConfirmButton
        label={`Delete ${name}`}
        confirmLabel={`Delete ${name} for good`}
        pending={pending}
        onConfirm={() =>
          startTransition(async () => {
            const result = await deleteVariableAction({ id }).catch(() => null);
            setError(!result ? "Could not reach the server. Try again." : result.ok ? null : result.error);
          })
        }
      />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
