"use client";
import { useRouter } from "next/navigation";
import { updateApplicationAuthAction } from "@/app/(app)/team/applications/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import type { ApplicationView } from "./applications-panel";
import { ClientAuthenticationFields } from "./client-authentication-fields";

/** How an application authenticates: a client secret, or private_key_jwt with its public keys. */
export function ApplicationAuthForm({ app, onSaved }: { app: ApplicationView; onSaved: () => void }) {
  const router = useRouter();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/oauth-server/schemas").then((m) => m.applicationAuthSchema),
    action: updateApplicationAuthAction,
    defaultValues: { applicationId: app.id, authMethod: app.authMethod, jwks: app.jwks, jwksUri: app.jwksUri ?? "" },
    onSuccess: () => {
      router.refresh();
      onSaved();
    },
  });
  const { errors } = form.formState;
  const authMethod = form.watch("authMethod");
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      <ClientAuthenticationFields
        method={form.register("authMethod")}
        chosen={authMethod}
        hint="Its secrets are kept whichever method is chosen, so switching back to a secret needs no new one."
        jwks={form.register("jwks")}
        jwksUri={form.register("jwksUri")}
        errors={{ authMethod: errors.authMethod?.message, jwks: errors.jwks?.message, jwksUri: errors.jwksUri?.message }}
      />
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Save
        </Button>
      </div>
    </HydratedForm>
  );
}
