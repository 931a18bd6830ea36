"use client";
import { useState, useTransition } from "react";
import { rotateWebhookSecretAction, updateWebhookEndpointAction } from "@/app/(app)/team/alerts/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { AlertKind } from "@/lib/alerts/events";
import { AlertKindsFieldset } from "./alert-kinds-fieldset";

/** Edits a webhook endpoint's URL, description and alerts. */
export function WebhookEndpointEditForm({ endpoint }: { endpoint: { id: string; target: string; description: string; events: AlertKind[] } }) {
  const [saved, setSaved] = useState(false);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/alerts/schemas").then((m) => m.webhookEndpointUpdateSchema),
    action: updateWebhookEndpointAction,
    defaultValues: { id: endpoint.id, url: endpoint.target, description: endpoint.description, events: endpoint.events },
    onSuccess: () => setSaved(true),
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Edit the webhook endpoint">
      <FormMessage error={formError} />
      <Field label="Endpoint URL" error={errors.url?.message}>
        <Input {...form.register("url")} type="url" inputMode="url" autoComplete="off" />
      </Field>
      <Field label="Description" error={errors.description?.message}>
        <Input {...form.register("description")} autoComplete="off" />
      </Field>
      <AlertKindsFieldset register={form.register} error={errors.events?.message} idPrefix="webhook-edit" />
      <div className="flex items-center justify-end gap-3">
        {saved && (
          <p role="status" className="text-sm text-zinc-600">
            Saved.
          </p>
        )}
        <Button type="submit" pending={pending}>
          Save changes
        </Button>
      </div>
    </HydratedForm>
  );
}

/** Rotate signing secret: the new secret shown once; the previous one keeps signing beside it for a day. */
export function RotateWebhookSecret({ endpointId, previousSecretValidUntil }: { endpointId: string; previousSecretValidUntil: string | null }) {
  const [rotated, setRotated] = useState<{ secret: string; previousSecretValidUntil: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const until = rotated?.previousSecretValidUntil ?? previousSecretValidUntil;
  return (
    <div className="space-y-3">
      {until && (
        <p className="text-sm text-zinc-700">
          Rotation under way: the previous secret also signs each message until {new Date(until).toISOString().replace("T", " ").slice(0, 16)} UTC.
        </p>
      )}
      {rotated ? (
        <div className="space-y-2" data-testid="rotated-secret">
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            New signing secret. Copy it now: it will not be shown again. Give it to the receiver within a day; until then each message is signed with
            both secrets.
          </p>
          <label className="block text-sm font-medium" htmlFor="rotated-secret-value">
            New signing secret
          </label>
          <div className="flex gap-2">
            <Input id="rotated-secret-value" readOnly value={rotated.secret} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={rotated.secret} label="Copy new signing secret" />
          </div>
        </div>
      ) : (
        <ConfirmButton
          label="Rotate signing secret"
          confirmLabel="Rotate now"
          pending={pending}
          details="A new secret is made and shown once; the current one keeps signing beside it for 24 hours."
          onConfirm={() =>
            startTransition(async () => {
              const result = await rotateWebhookSecretAction({ id: endpointId });
              if (result.ok) setRotated(result.data);
              else setError(result.error);
            })
          }
        />
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
