"use client";
import { useState } from "react";
import { useFieldArray } from "react-hook-form";
import { saveSsoProviderAction } from "@/app/(app)/admin/sso/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { SsoProviderFormInput } from "@/lib/sso/provider-schema";

/** What the form starts from: a stored provider's settings (never its secret), or nothing for a new one. */
export type SsoProviderDraft = Omit<SsoProviderFormInput, "clientSecret" | "editing">;

const EMPTY: SsoProviderDraft = {
  id: "",
  label: "",
  issuer: "",
  clientId: "",
  scopes: "openid email profile",
  requireEmailVerified: true,
  allowedDomains: "",
  defaultTeam: "",
  defaultRole: "member",
  groupsClaim: "groups",
  groupMappings: [],
};

/**
 * Adds a provider (no `draft`) or edits one. The client secret is write-only: on an edit the field starts
 * empty and, left empty, keeps the stored secret. The redirect URI to register follows the typed id.
 */
export function SsoProviderForm({ draft, callbackBase }: { draft?: SsoProviderDraft; callbackBase: string }) {
  const editing = !!draft;
  const [saved, setSaved] = useState<string | null>(null);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/sso/provider-schema").then((m) => m.ssoProviderFormSchema),
    action: saveSsoProviderAction,
    defaultValues: { ...(draft ?? EMPTY), clientSecret: "", editing },
    onSuccess: (data) => {
      setSaved(editing ? "Saved." : `Added ${data.id}: its button is on the sign-in page.`);
      if (editing) form.resetField("clientSecret", { defaultValue: "" });
      else form.reset();
    },
  });
  const mappings = useFieldArray({ control: form.control, name: "groupMappings" });
  const { errors } = form.formState;
  const id = form.watch("id");
  const name = draft ? `Edit ${draft.id}` : "Add a provider";
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label={name}>
      <FormMessage error={formError} success={formError ? null : saved} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Id" hint="Lowercase letters, digits, dashes; part of the redirect URI, so it cannot change." error={errors.id?.message}>
          <Input {...form.register("id")} readOnly={editing} autoComplete="off" spellCheck={false} autoCapitalize="off" />
        </Field>
        <Field label="Button label" error={errors.label?.message}>
          <Input {...form.register("label")} placeholder="Sign in with Acme SSO" autoComplete="off" />
        </Field>
        <Field label="Issuer URL" hint="Discovery (/.well-known/openid-configuration) is checked when you save." error={errors.issuer?.message}>
          <Input {...form.register("issuer")} type="url" placeholder="https://sso.acme.com/realms/acme" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Client ID" error={errors.clientId?.message}>
          <Input {...form.register("clientId")} autoComplete="off" spellCheck={false} autoCapitalize="off" />
        </Field>
        <Field
          label={editing ? "New client secret" : "Client secret"}
          hint={editing ? "Leave blank to keep the stored secret (it is never shown again)." : "Encrypted at rest, never shown again."}
          error={errors.clientSecret?.message}
        >
          <Input {...form.register("clientSecret")} type="password" autoComplete="new-password" spellCheck={false} />
        </Field>
        <Field label="Scopes" error={errors.scopes?.message}>
          <Input {...form.register("scopes")} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Allowed email domains" hint="Commas or spaces between them; empty allows any domain." error={errors.allowedDomains?.message}>
          <Input {...form.register("allowedDomains")} placeholder="acme.com" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Groups claim" error={errors.groupsClaim?.message}>
          <Input {...form.register("groupsClaim")} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Default team" hint="Its id or exact name; empty for none." error={errors.defaultTeam?.message}>
          <Input {...form.register("defaultTeam")} autoComplete="off" />
        </Field>
        <Field label="Default role" error={errors.defaultRole?.message}>
          <Select {...form.register("defaultRole")}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </Select>
        </Field>
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" {...form.register("requireEmailVerified")} />
        <span>
          Require a verified email
          <span className="block text-xs text-zinc-500">Turn off only for a provider that never sends email_verified (Entra ID).</span>
        </span>
      </label>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800">Group mappings</legend>
        {mappings.fields.map((field, index) => (
          <div key={field.id} className="grid gap-2 sm:grid-cols-[1fr_1fr_8rem_auto]">
            <Field label={`Group ${index + 1}`} error={errors.groupMappings?.[index]?.group?.message}>
              <Input {...form.register(`groupMappings.${index}.group`)} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label={`Team ${index + 1}`} error={errors.groupMappings?.[index]?.team?.message}>
              <Input {...form.register(`groupMappings.${index}.team`)} autoComplete="off" />
            </Field>
            <Field label={`Role ${index + 1}`} error={errors.groupMappings?.[index]?.role?.message}>
              <Select {...form.register(`groupMappings.${index}.role`)}>
                <option value="member">member</option>
                <option value="admin">admin</option>
              </Select>
            </Field>
            <div className="flex items-end">
              <Button type="button" size="sm" variant="secondary" onClick={() => mappings.remove(index)}>
                Remove mapping {index + 1}
              </Button>
            </div>
          </div>
        ))}
        <Button type="button" size="sm" variant="secondary" onClick={() => mappings.append({ group: "", team: "", role: "member" })}>
          Add a group mapping
        </Button>
      </fieldset>
      <p className="text-sm text-zinc-600">
        Redirect URI to register at the provider:{" "}
        <code className="break-all" data-testid="redirect-uri">
          {callbackBase}oidc-{id || "<id>"}
        </code>
      </p>
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          {draft ? `Save ${draft.id}` : "Add provider"}
        </Button>
      </div>
    </HydratedForm>
  );
}
