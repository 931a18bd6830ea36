"use client";
import { useState } from "react";
import { createWebhookEndpointAction } from "@/app/(app)/team/alerts/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { AlertKindsFieldset } from "./alert-kinds-fieldset";

/** Adds a webhook endpoint, then shows its signing secret once. */
export function WebhookEndpointForm() {
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/alerts/schemas").then((m) => m.webhookEndpointInputSchema),
    action: createWebhookEndpointAction,
    defaultValues: { url: "", description: "", events: ["connection.failing", "connection.needs_reauthorization", "connection.resolved"] },
    onSuccess: (data) => {
      setCreated({ url: data.url, secret: data.secret });
      form.reset();
    },
  });
  const { errors } = form.formState;
  return (
    <div className="space-y-4">
      {created && (
        <div className="space-y-2" data-testid="webhook-secret">
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Endpoint added for {created.url}. Copy its signing secret now: it will not be shown again. Receivers verify each message's
            webhook-signature with it (Standard Webhooks).
          </p>
          <label className="block text-sm font-medium" htmlFor="webhook-secret-value">
            Signing secret
          </label>
          <div className="flex gap-2">
            <Input id="webhook-secret-value" readOnly value={created.secret} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={created.secret} label="Copy signing secret" />
          </div>
          <Button type="button" variant="secondary" size="sm" onClick={() => setCreated(null)}>
            Done, I copied it
          </Button>
        </div>
      )}
      <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add a webhook endpoint">
        <FormMessage error={formError} />
        <Field
          label="Endpoint URL"
          hint="Plugboard POSTs signed JSON here; private addresses need PLUGBOARD_ALLOWED_HOSTS."
          error={errors.url?.message}
        >
          <Input {...form.register("url")} type="url" inputMode="url" autoComplete="off" placeholder="https://hooks.example.com/plugboard" />
        </Field>
        <Field label="Description" error={errors.description?.message}>
          <Input {...form.register("description")} autoComplete="off" placeholder="On-call pager" />
        </Field>
        <AlertKindsFieldset register={form.register} error={errors.events?.message} idPrefix="webhook" />
        <div className="flex justify-end">
          <Button type="submit" pending={pending}>
            Add webhook endpoint
          </Button>
        </div>
      </HydratedForm>
    </div>
  );
}
