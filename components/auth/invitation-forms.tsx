"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { acceptInvitationAction, signUpWithInvitationAction } from "@/app/(auth)/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { AccountFields } from "@/components/auth/account-fields";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import type { AccountInput } from "@/lib/auth/schemas";
import { HydratedForm } from "@/components/forms/hydrated-form";

export function JoinTeamButton({ token, teamName }: { token: string; teamName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-4">
      <FormMessage error={error} />
      <Button
        className="w-full"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await acceptInvitationAction({ token });
            if (!result.ok) return setError(result.error);
            router.replace("/");
            router.refresh();
          })
        }
      >
        Join {teamName}
      </Button>
    </div>
  );
}

export function SignUpWithInvitationForm({ token }: { token: string }) {
  const router = useRouter();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/auth/schemas").then((m) => m.accountSchema),
    action: (input: AccountInput) => signUpWithInvitationAction({ ...input, token }),
    defaultValues: { name: "", email: "", password: "" },
    onSuccess: () => {
      router.replace("/");
      router.refresh();
    },
  });
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      <AccountFields form={form} />
      <Button type="submit" className="w-full" pending={pending}>
        Create account and join
      </Button>
    </HydratedForm>
  );
}
