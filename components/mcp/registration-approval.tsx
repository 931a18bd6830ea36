"use client";
import { useState, useTransition } from "react";
import { setRegistrationApprovalAction } from "@/app/(app)/team/mcp/actions";
import { FormMessage } from "@/components/ui/field";

/** The team's setting: registrations a member allows wait for an admin's approval. Saved when ticked or unticked. */
export function RegistrationApproval({ needApproval }: { needApproval: boolean }) {
  const [checked, setChecked] = useState(needApproval);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();
  const change = (value: boolean) => {
    setChecked(value);
    setError(null);
    setSaved(false);
    startTransition(async () => {
      const result = await setRegistrationApprovalAction({ needApproval: value });
      if (!result.ok) {
        setChecked(!value);
        return setError(result.error);
      }
      setSaved(true);
    });
  };
  return (
    <div className="space-y-2">
      <FormMessage error={error} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" checked={checked} disabled={pending} onChange={(e) => change(e.currentTarget.checked)} />
        <span>
          Registrations need an admin's approval
          <span className="block text-xs text-zinc-500">
            An agent that registers itself and is allowed by a member waits under Applications, with no access, until an admin approves it. An admin's
            own allowing approves it at once.
          </span>
        </span>
      </label>
      <p role="status" className="text-xs text-zinc-500">
        {saved ? "Saved." : ""}
      </p>
    </div>
  );
}
