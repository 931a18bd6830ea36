"use client";
import { useRouter } from "next/navigation";
import { setupAction } from "@/app/(auth)/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { AccountFields } from "@/components/auth/account-fields";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

import { HydratedForm } from "@/components/forms/hydrated-form";

export function SetupForm() {
  const router = useRouter();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/auth/schemas").then((m) => m.setupSchema),
    action: setupAction,
    defaultValues: { name: "", email: "", password: "", teamName: "" },
    onSuccess: () => {
      router.replace("/");
      router.refresh();
    },
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      <AccountFields form={form} />
      <Field label="Team name" error={errors.teamName?.message}>
        <Input {...form.register("teamName")} />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Create admin account
      </Button>
    </HydratedForm>
  );
}
