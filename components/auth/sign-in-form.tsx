"use client";
import { useRouter } from "next/navigation";
import { signInAction } from "@/app/(auth)/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

import { HydratedForm } from "@/components/forms/hydrated-form";

/** Only same-site paths are followed after sign-in, so the link cannot send people elsewhere. */
function safeCallback(url: string | undefined): string {
  return url?.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/";
}

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const router = useRouter();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/auth/schemas").then((m) => m.signInSchema),
    action: signInAction,
    defaultValues: { email: "", password: "" },
    onSuccess: () => {
      router.replace(safeCallback(callbackUrl));
      router.refresh();
    },
  });
  const { errors } = form.formState;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      <Field label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="email" {...form.register("email")} />
      </Field>
      <Field label="Password" error={errors.password?.message}>
        <Input type="password" autoComplete="current-password" {...form.register("password")} />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Sign in
      </Button>
    </HydratedForm>
  );
}
