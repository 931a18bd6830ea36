"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { addSecretAction, revokeSecretAction, updateApplicationSettingsAction } from "@/app/(app)/team/applications/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { TableHead } from "@/components/ui/table-head";
import type { CreatedApplication } from "@/lib/oauth-server/clients";
import type { ApplicationView } from "./applications-panel";
import { SecretReveal } from "./secret-reveal";

export type ClientSecretItem = { id: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null };

function secretStatus(secret: ClientSecretItem, now: number): string {
  if (secret.revokedAt) return "Revoked";
  if (secret.expiresAt && new Date(secret.expiresAt).getTime() <= now) return "Expired";
  return "Active";
}

/**
 * The secrets of one application: add one beside the active ones (rotation with overlap, shown once),
 * revoke one when every integration has switched.
 */
export function ApplicationSecrets({ app, maxSecrets }: { app: ApplicationView; maxSecrets: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<(CreatedApplication & { expiresAt: string | null }) | null>(null);
  const [pending, startTransition] = useTransition();
  const [now] = useState(() => Date.now());
  const run = (action: () => Promise<{ ok: true } | { ok: false; error: string }>) =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) setError(result.error);
      router.refresh();
    });

  if (added) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-zinc-700">
          The new secret works now, and so do the other active ones. Switch every integration to it, then revoke the old secret.
          {added.expiresAt && (
            <>
              {" "}
              It expires <LocalTime value={added.expiresAt} />.
            </>
          )}
        </p>
        <SecretReveal clientId={added.clientId} clientSecret={added.clientSecret} tokenRequest={added.tokenRequest} />
        <div className="flex justify-end">
          <Button variant="secondary" onClick={() => setAdded(null)}>
            Back to the secrets
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <FormMessage error={error} />
      <p className="text-sm text-zinc-600">
        At most {maxSecrets} secrets can be active at once.
        {app.effective.secretLifetimeDays ? ` New secrets expire after ${app.effective.secretLifetimeDays} days.` : " New secrets do not expire."}
      </p>
      <table className="w-full text-left text-sm" aria-label="Client secrets">
        <TableHead cell="px-2 py-1" columns={["Created", "Expires", "Last used", "Status", ""]} />
        <tbody>
          {app.secrets.map((secret) => {
            const status = secretStatus(secret, now);
            return (
              <tr key={secret.id} data-testid="client-secret" className="border-b border-zinc-100 last:border-0">
                <td className="whitespace-nowrap px-2 py-1">
                  <LocalTime value={secret.createdAt} />
                </td>
                <td className="whitespace-nowrap px-2 py-1">
                  <LocalTime value={secret.expiresAt} empty="Never" />
                </td>
                <td className="whitespace-nowrap px-2 py-1">
                  <LocalTime value={secret.lastUsedAt} empty="Never" />
                </td>
                <td className="px-2 py-1">{status}</td>
                <td className="px-2 py-1 text-right">
                  {status === "Active" && (
                    <Button
                      variant="secondary"
                      size="sm"
                      pending={pending}
                      onClick={() => run(() => revokeSecretAction({ applicationId: app.id, secretId: secret.id }))}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="flex justify-end">
        <Button
          pending={pending}
          onClick={() =>
            startTransition(async () => {
              setError(null);
              const result = await addSecretAction({ applicationId: app.id });
              if (!result.ok) return setError(result.error);
              setAdded(result.data);
              router.refresh();
            })
          }
        >
          Add secret
        </Button>
      </div>
    </div>
  );
}

/** An application's lifetimes: empty fields take the instance defaults, shown as placeholders. */
export function ApplicationSettingsForm({ app, onSaved }: { app: ApplicationView; onSaved: () => void }) {
  const router = useRouter();
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/oauth-server/schemas").then((m) => m.applicationSettingsSchema),
    action: updateApplicationSettingsAction,
    defaultValues: {
      applicationId: app.id,
      secretLifetimeDays: app.settings.secretLifetimeDays ?? "",
      accessTokenTtlSeconds: app.settings.accessTokenTtlSeconds ?? "",
      refreshTokenTtlSeconds: app.settings.refreshTokenTtlSeconds ?? "",
    },
    onSuccess: () => {
      router.refresh();
      onSaved();
    },
  });
  const { errors } = form.formState;
  const { defaults } = app;
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      <Field
        label="Secret lifetime (days)"
        hint={`For secrets added or regenerated from now on. Empty: ${defaults.secretLifetimeDays ? `${defaults.secretLifetimeDays} days (the instance default)` : "no expiry (the instance default)"}.`}
        error={errors.secretLifetimeDays?.message}
      >
        <Input
          inputMode="numeric"
          {...form.register("secretLifetimeDays")}
          placeholder={defaults.secretLifetimeDays ? String(defaults.secretLifetimeDays) : "Never"}
        />
      </Field>
      <Field
        label="Access token lifetime (seconds)"
        hint={`Empty: ${defaults.accessSeconds} s (the instance default).`}
        error={errors.accessTokenTtlSeconds?.message}
      >
        <Input inputMode="numeric" {...form.register("accessTokenTtlSeconds")} placeholder={String(defaults.accessSeconds)} />
      </Field>
      <Field
        label="Refresh token lifetime (seconds)"
        hint={`Authorization code applications only. Empty: ${defaults.refreshSeconds} s (the instance default).`}
        error={errors.refreshTokenTtlSeconds?.message}
      >
        <Input inputMode="numeric" {...form.register("refreshTokenTtlSeconds")} placeholder={String(defaults.refreshSeconds)} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Save
        </Button>
      </div>
    </HydratedForm>
  );
}
