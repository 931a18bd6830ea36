"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteFlowAction } from "@/app/(app)/flows/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormMessage } from "@/components/ui/field";

export function DeleteFlow({ flowId, name }: { flowId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <ConfirmButton
        label="Delete flow"
        confirmLabel={`Delete “${name}” and its runs`}
        pending={pending}
        onConfirm={() =>
          startTransition(async () => {
            const result = await deleteFlowAction({ flowId }).catch(() => null);
            if (result?.ok) router.push("/flows");
            else setError(result?.error ?? "Could not reach the server. Try again.");
          })
        }
      />
      <FormMessage error={error} />
    </span>
  );
}
