"use client";
import { useState } from "react";
import { setTeamAlertSettingsAction } from "@/app/(app)/team/alerts/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function FlowStreakForm({ flowFailureStreak }: { flowFailureStreak: number }) {
  const [saved, setSaved] = useState<string | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/alerts/schemas").then((m) => m.teamAlertSettingsInputSchema),
    action: setTeamAlertSettingsAction,
    defaultValues: { flowFailureStreak: String(flowFailureStreak) },
    onSuccess: (data) => setSaved(`Saved: an alert after ${data.flowFailureStreak} failed runs in a row.`),
  });
  return (
    <HydratedForm onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate aria-label="Flow failure alerts">
      <Field label="Failed runs in a row before a flow alert" error={form.formState.errors.flowFailureStreak?.message}>
        <Input {...form.register("flowFailureStreak")} inputMode="numeric" className="w-24" />
      </Field>
      <Button type="submit" variant="secondary" pending={pending}>
        Save
      </Button>
      <div className="basis-full">
        <FormMessage error={formError} success={saved} />
      </div>
    </HydratedForm>
  );
}
