"use client";
import { createEmailRecipientAction } from "@/app/(app)/team/alerts/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { AlertKindsFieldset } from "./alert-kinds-fieldset";

/** Adds a team email address (a member's or a shared inbox) that receives the chosen alerts. */
export function EmailRecipientForm({ memberEmails }: { memberEmails: string[] }) {
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/alerts/schemas").then((m) => m.emailRecipientInputSchema),
    action: createEmailRecipientAction,
    defaultValues: { address: "", events: ["connection.failing", "connection.needs_reauthorization", "connection.resolved"] },
    onSuccess: () => form.reset(),
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add an email address">
      <FormMessage error={formError} />
      <Field label="Email address" hint="A member's address (suggested as you type) or any inbox." error={errors.address?.message}>
        <Input {...form.register("address")} type="email" inputMode="email" autoComplete="off" list="alert-member-emails" />
      </Field>
      <datalist id="alert-member-emails">
        {memberEmails.map((email) => (
          <option key={email} value={email} />
        ))}
      </datalist>
      <AlertKindsFieldset register={form.register} error={errors.events?.message} idPrefix="email" />
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Add email address
        </Button>
      </div>
    </HydratedForm>
  );
}
