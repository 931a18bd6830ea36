"use client";
import { createVariableAction, updateVariableAction } from "@/app/(app)/team/variables/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";

const SECRET_HINT = "Encrypted, never shown again, and masked (••••••) in responses, history, errors and cURL.";

/** Adds a team variable; the form empties after each one so the next can be typed. */
export function NewVariableForm() {
  const [saved, setSaved] = useState<string | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/variables/schemas").then((m) => m.variableInputSchema),
    action: createVariableAction,
    defaultValues: { name: "", value: "", secret: false },
    onSuccess: (data) => {
      setSaved(`Added ${data.name}: use it as {{vars.${data.name}}}.`);
      form.reset();
    },
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add a variable">
      <FormMessage error={formError} success={formError ? null : saved} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" hint="Letters, digits and _, e.g. baseUrl or ACCOUNT_ID." error={errors.name?.message}>
          <Input {...form.register("name")} autoComplete="off" spellCheck={false} autoCapitalize="off" />
        </Field>
        <Field label="Value" error={errors.value?.message}>
          <Input {...form.register("value")} autoComplete="off" spellCheck={false} autoCapitalize="off" />
        </Field>
      </div>
      <SecretCheckbox register={form.register("secret")} />
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Add variable
        </Button>
      </div>
    </HydratedForm>
  );
}

/** Edits one variable. A secret value is write-only: the field starts empty and, left empty, keeps the value. */
export function EditVariableForm({ variable }: { variable: { id: string; name: string; secret: boolean; value: string | null } }) {
  const [saved, setSaved] = useState<string | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/variables/schemas").then((m) => m.updateVariableSchema),
    action: updateVariableAction,
    defaultValues: { id: variable.id, name: variable.name, value: variable.value ?? "", secret: variable.secret },
    onSuccess: () => {
      setSaved("Saved.");
      form.resetField("value", { defaultValue: form.getValues("secret") ? "" : form.getValues("value") });
    },
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-3" noValidate aria-label={`Edit ${variable.name}`}>
      <FormMessage error={formError} success={formError ? null : saved} />
      <Field label="Name" error={errors.name?.message}>
        <Input {...form.register("name")} autoComplete="off" spellCheck={false} autoCapitalize="off" />
      </Field>
      <Field
        label={variable.secret ? "New value" : "Value"}
        hint={variable.secret ? "Leave blank to keep the current value." : undefined}
        error={errors.value?.message}
      >
        <Input {...form.register("value")} type={variable.secret ? "password" : "text"} autoComplete="off" spellCheck={false} autoCapitalize="off" />
      </Field>
      <SecretCheckbox register={form.register("secret")} />
      <div className="flex justify-end">
        <Button type="submit" size="sm" pending={pending}>
          Save {variable.name}
        </Button>
      </div>
    </HydratedForm>
  );
}

function SecretCheckbox({ register }: { register: UseFormRegisterReturn<"secret"> }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-1" {...register} />
      <span>
        Secret
        <span className="block text-xs text-zinc-500">{SECRET_HINT}</span>
      </span>
    </label>
  );
}
