"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeConsentAction } from "@/app/(app)/profile/actions";
import { EmptyState } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormMessage } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";

export type ConsentView = { id: string; applicationName: string; teamName: string; scopes: string[]; grantedAt: string };

export function ConsentsList({ consents }: { consents: ConsentView[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  if (consents.length === 0)
    return (
      <EmptyState title="No applications have access">
        When you allow an application on its consent screen, it appears here and is not asked again for the same scopes.
      </EmptyState>
    );
  return (
    <div className="space-y-3">
      <FormMessage error={error} />
      <ul className="divide-y divide-zinc-100">
        {consents.map((c) => (
          <li key={c.id} data-testid={`consent-${c.applicationName}`} className="flex flex-wrap items-start justify-between gap-3 py-3">
            <div className="text-sm">
              <p className="font-medium">
                {c.applicationName} <span className="font-normal text-zinc-500">in {c.teamName}</span>
              </p>
              <p className="text-xs text-zinc-600">
                Remembered: not asked again for <span className="font-mono">{c.scopes.join(" ")}</span>
              </p>
              <p className="text-xs text-zinc-500">
                Granted <LocalTime value={c.grantedAt} />
              </p>
            </div>
            <ConfirmButton
              label="Revoke access"
              confirmLabel={`Revoke ${c.applicationName}`}
              pending={pendingId === c.id}
              onConfirm={() => {
                setPendingId(c.id);
                startTransition(async () => {
                  const result = await revokeConsentAction({ consentId: c.id });
                  setPendingId(null);
                  if (!result.ok) return setError(result.error);
                  router.refresh();
                });
              }}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
