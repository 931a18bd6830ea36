"use client";
import { useState, useTransition } from "react";
import { deleteSsoProviderAction } from "@/app/(app)/admin/sso/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormMessage } from "@/components/ui/field";

export function DeleteSsoProvider({ id }: { id: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <FormMessage error={error} />
      <ConfirmButton
        label={`Delete ${id}`}
        confirmLabel={`Delete ${id} and its sign-in button?`}
        pending={pending}
        onConfirm={() =>
          startTransition(async () => {
            const result = await deleteSsoProviderAction({ id });
            setError(result.ok ? null : result.error);
          })
        }
      />
    </div>
  );
}
