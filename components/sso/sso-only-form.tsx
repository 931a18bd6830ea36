"use client";
import { useState } from "react";
import { setSsoOnlyAction } from "@/app/(app)/admin/sso/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** SSO-only mode: off, or on with the break-glass account that keeps its password sign-in. */
export function SsoOnlyForm({ ssoOnly, breakGlassEmail }: { ssoOnly: boolean; breakGlassEmail: string }) {
  const [saved, setSaved] = useState<string | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/sso/provider-schema").then((m) => m.ssoOnlySchema),
    action: setSsoOnlyAction,
    defaultValues: { ssoOnly, breakGlassEmail },
    onSuccess: () => setSaved(form.getValues("ssoOnly") ? "Password sign-in is off, but for the break-glass account." : "Password sign-in is on."),
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="SSO only">
      <FormMessage error={formError} success={formError ? null : saved} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" {...form.register("ssoOnly")} aria-invalid={errors.ssoOnly ? true : undefined} />
        <span>
          SSO only: turn password sign-in off
          <span className="block text-xs text-zinc-500">Everyone signs in with single sign-on, but the break-glass account below.</span>
        </span>
      </label>
      {errors.ssoOnly?.message && (
        <p role="alert" className="text-sm text-red-600">
          {errors.ssoOnly.message}
        </p>
      )}
      <Field
        label="Break-glass account (email)"
        hint="A local team admin whose password still signs in, for when the identity provider is down."
        error={errors.breakGlassEmail?.message}
      >
        <Input {...form.register("breakGlassEmail")} type="email" autoComplete="off" spellCheck={false} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Save sign-in mode
        </Button>
      </div>
    </HydratedForm>
  );
}
