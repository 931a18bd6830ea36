"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createWebhookTokenAction, removeWebhookAction } from "@/app/(app)/flows/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormMessage } from "@/components/ui/field";

/** The flow's webhook: a URL with a secret token, shown once when made (only its hash is stored). */
export function WebhookPanel({ flowId, hookUrl, enabled, waits }: { flowId: string; hookUrl: string; enabled: boolean; waits: boolean }) {
  const router = useRouter();
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const url = token ? `${hookUrl}?token=${token}` : null;
  const create = () =>
    startTransition(async () => {
      const result = await createWebhookTokenAction({ flowId }).catch(() => null);
      if (!result?.ok) return setError(result?.error ?? "Could not reach the server. Try again.");
      setToken(result.data.token);
      router.refresh();
    });
  return (
    <section className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4" aria-label="Webhook">
      <h2 className="text-lg font-semibold">Webhook</h2>
      <p className="text-sm text-zinc-600">
        POST a JSON object to the URL to start a run with it as input. The answer is the run id
        {waits ? ", or (as set for this flow) the last step’s response once the run ends" : ""}.
      </p>
      {url ? (
        <div className="space-y-2">
          <p className="text-sm font-medium text-amber-800">Copy this URL now: it is shown only once.</p>
          <code className="block break-all rounded bg-zinc-100 p-2 text-xs" data-testid="webhook-url">
            {url}
          </code>
          <CopyButton value={url} label="Copy URL" />
        </div>
      ) : enabled ? (
        <p className="text-sm">
          A webhook URL exists for <code className="text-xs">{hookUrl}</code>. Make a new one if you lost it; the old one stops working.
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" size="sm" pending={pending} onClick={create}>
          {enabled || url ? "Make a new webhook URL" : "Create webhook URL"}
        </Button>
        {(enabled || url) && (
          <ConfirmButton
            label="Remove webhook"
            confirmLabel="Remove: calls will fail"
            onConfirm={() =>
              startTransition(async () => {
                await removeWebhookAction({ flowId });
                setToken(null);
                router.refresh();
              })
            }
          />
        )}
      </div>
      <FormMessage error={error} />
    </section>
  );
}
