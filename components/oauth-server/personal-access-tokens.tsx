"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createPersonalAccessTokenAction, revokePersonalAccessTokenAction } from "@/app/(app)/profile/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { SCOPE_CATALOGUE } from "@/lib/oauth-server/scopes";

export type PersonalAccessTokenView = {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
};

/**
 * The signed-in person's personal access tokens in the current team: create (admins; the value is shown
 * once), list and revoke. Each acts as its owner with their role at the time of each call.
 */
export function PersonalAccessTokens({ tokens, canCreate }: { tokens: PersonalAccessTokenView[]; canCreate: boolean }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/oauth-server/schemas").then((m) => m.personalAccessTokenSchema),
    action: createPersonalAccessTokenAction,
    defaultValues: { name: "", scopes: [], expiresInDays: 30 },
    onSuccess: (data) => {
      setCreated({ name: data.name, token: data.token });
      form.reset();
      router.refresh();
    },
  });
  const { errors } = form.formState;
  return (
    <div className="space-y-4">
      <FormMessage error={error} />
      {created && (
        <div className="space-y-2" data-testid="personal-token-reveal">
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Copy the token {created.name} now: it will not be shown again. Send it as <code>Authorization: Bearer …</code> to /api/v1.
          </p>
          <div className="flex gap-2">
            <Input
              aria-label="Personal access token"
              readOnly
              value={created.token}
              className="font-mono"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton value={created.token} label="Copy token" />
          </div>
        </div>
      )}
      {tokens.length === 0 ? (
        <EmptyState title="No personal access tokens">A personal access token lets a script call the REST API as you, within your role.</EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {tokens.map((t) => (
            <li key={t.id} data-testid={`personal-token-${t.name}`} className="flex flex-wrap items-start justify-between gap-3 py-3">
              <div className="text-sm">
                <p className="font-medium">{t.name}</p>
                <p className="font-mono text-xs text-zinc-600">{t.scopes.join(" ")}</p>
                <p className="text-xs text-zinc-500">
                  Created <LocalTime value={t.createdAt} /> · expires <LocalTime value={t.expiresAt} empty="—" /> · last used{" "}
                  <LocalTime value={t.lastUsedAt} empty="never" />
                </p>
              </div>
              <ConfirmButton
                label="Revoke"
                confirmLabel={`Revoke ${t.name}`}
                pending={pendingId === t.id}
                onConfirm={() => {
                  setPendingId(t.id);
                  startTransition(async () => {
                    const result = await revokePersonalAccessTokenAction({ applicationId: t.id });
                    setPendingId(null);
                    if (!result.ok) return setError(result.error);
                    router.refresh();
                  });
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {canCreate && (
        <HydratedForm onSubmit={onSubmit} className="space-y-3 border-t border-zinc-100 pt-4" noValidate aria-label="New personal access token">
          <FormMessage error={formError} />
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Token name" error={errors.name?.message}>
              <Input {...form.register("name")} autoComplete="off" />
            </Field>
            <Field label="Expires in (days)" hint="1 to 365." error={errors.expiresInDays?.message}>
              <Input type="number" min={1} max={365} {...form.register("expiresInDays")} />
            </Field>
          </div>
          <fieldset aria-describedby={errors.scopes ? "pat-scopes-error" : undefined}>
            <legend className="text-sm font-medium text-zinc-800">Scopes (they narrow your role, never widen it)</legend>
            <div className="mt-2 grid gap-1 sm:grid-cols-2">
              {SCOPE_CATALOGUE.map((scope) => (
                <label key={scope.name} className="flex items-center gap-2 text-sm" title={scope.description}>
                  <input type="checkbox" value={scope.name} {...form.register("scopes")} />
                  <span className="font-mono text-xs">{scope.name}</span>
                </label>
              ))}
            </div>
            {errors.scopes && (
              <p id="pat-scopes-error" role="alert" className="mt-1 text-sm text-red-600">
                {errors.scopes.message}
              </p>
            )}
          </fieldset>
          <div className="flex justify-end">
            <Button type="submit" pending={pending}>
              Create token
            </Button>
          </div>
        </HydratedForm>
      )}
    </div>
  );
}
