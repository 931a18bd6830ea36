"use client";
import { useState, useTransition } from "react";
import { deleteAlertEndpointAction, sendTestAlertAction, setAlertEndpointEnabledAction } from "@/app/(app)/team/alerts/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** Send test event, Disable/Enable and Delete for one endpoint, with the answer in words. */
export function EndpointActions({ endpointId, label, canTest, enabled }: { endpointId: string; label: string; canTest: boolean; enabled: boolean }) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (action: () => Promise<{ ok: true } | { ok: false; error: string }>, done: string) =>
    startTransition(async () => {
      const result = await action();
      setMessage(result.ok ? done : result.error);
    });
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {canTest && (
        <Button
          type="button"
          size="sm"
          variant="secondary"
          pending={pending}
          aria-label={`Send test event to ${label}`}
          onClick={() => run(() => sendTestAlertAction({ id: endpointId }), "Test event queued: see the delivery log.")}
        >
          Send test event
        </Button>
      )}
      <Button
        type="button"
        size="sm"
        variant="secondary"
        pending={pending}
        aria-label={`${enabled ? "Disable" : "Enable"} ${label}`}
        onClick={() =>
          run(() => setAlertEndpointEnabledAction({ id: endpointId, enabled: !enabled }), enabled ? "Disabled: no new alert goes there." : "Enabled.")
        }
      >
        {enabled ? "Disable" : "Enable"}
      </Button>
      <ConfirmButton
        label="Delete"
        confirmLabel="Delete for good"
        pending={pending}
        onConfirm={() => run(() => deleteAlertEndpointAction({ id: endpointId }), "Deleted.")}
      />
      {message && (
        <p role="status" className="basis-full text-right text-sm text-zinc-600">
          {message}
        </p>
      )}
    </div>
  );
}
