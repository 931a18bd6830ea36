"use client";
import { useRouter } from "next/navigation";
import { createTeamAction } from "@/app/(app)/team/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

import { HydratedForm } from "@/components/forms/hydrated-form";

export function CreateTeamForm() {
  const router = useRouter();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/teams/schemas").then((m) => m.createTeamSchema),
    action: createTeamAction,
    defaultValues: { name: "" },
    onSuccess: () => {
      router.push("/");
      router.refresh();
    },
  });
  return (
    <HydratedForm onSubmit={onSubmit} className="max-w-md space-y-4" noValidate>
      <FormMessage error={formError} />
      <Field label="Team name" error={form.formState.errors.name?.message}>
        <Input {...form.register("name")} />
      </Field>
      <Button type="submit" pending={pending}>
        Create team
      </Button>
    </HydratedForm>
  );
}
