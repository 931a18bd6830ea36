"use client";
import { useState } from "react";
import { setPersonalAlertsAction } from "@/app/(app)/team/alerts/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import type { AlertKind } from "@/lib/alerts/events";
import { AlertKindsFieldset } from "./alert-kinds-fieldset";

/** A member's own email alerts in the current team, sent to their account's address. */
export function PersonalAlertsForm({ events, kinds, email, teamName }: { events: AlertKind[]; kinds: AlertKind[]; email: string; teamName: string }) {
  const [saved, setSaved] = useState<string | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/alerts/schemas").then((m) => m.personalAlertsInputSchema),
    action: setPersonalAlertsAction,
    defaultValues: { events },
    onSuccess: (data) =>
      setSaved(
        data.events.length ? `Saved: ${data.events.length} kind(s) of alert go to ${email}.` : `Saved: no alerts are emailed to you for ${teamName}.`,
      ),
  });
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="My email alerts">
      <AlertKindsFieldset
        register={form.register}
        error={form.formState.errors.events?.message}
        legend={`Email me (${email}) when…`}
        idPrefix="personal"
        kinds={kinds}
      />
      <div className="flex flex-wrap items-center justify-end gap-3">
        <FormMessage error={formError} success={saved} />
        <Button type="submit" pending={pending}>
          Save my alerts
        </Button>
      </div>
    </HydratedForm>
  );
}
