"use client";
import { createApplicationAction } from "@/app/(app)/team/applications/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { CreatedApplication } from "@/lib/oauth-server/clients";
import { ACCESS_TOKEN_FORMAT_LABELS, GRANT_TYPE_LABELS } from "@/lib/oauth-server/labels";
import { SCOPE_CATALOGUE } from "@/lib/oauth-server/scopes";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { ClientAuthenticationFields } from "./client-authentication-fields";

export function CreateApplicationForm({ onCreated }: { onCreated: (created: CreatedApplication) => void }) {
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: () => import("@/lib/oauth-server/schemas").then((m) => m.createApplicationSchema),
    action: createApplicationAction,
    defaultValues: {
      name: "",
      grantType: "client_credentials",
      redirectUris: "",
      authMethod: "client_secret_basic",
      jwks: "",
      jwksUri: "",
      scopes: [],
      role: "member",
      accessTokenFormat: "opaque",
    },
    onSuccess: onCreated,
  });
  const { errors } = form.formState;
  const grantType = form.watch("grantType");
  const authMethod = form.watch("authMethod");
  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      <Field label="Name" error={errors.name?.message}>
        <Input {...form.register("name")} autoComplete="off" />
      </Field>
      <Field label="Grant type" error={errors.grantType?.message}>
        <Select {...form.register("grantType")}>
          {Object.entries(GRANT_TYPE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      {grantType === "authorization_code" ? (
        <Field
          label="Redirect URIs"
          hint="One per line. The redirect_uri a client sends must match one of them exactly."
          error={errors.redirectUris?.message}
        >
          <Textarea rows={3} {...form.register("redirectUris")} placeholder="https://app.example.com/oauth/callback" />
        </Field>
      ) : (
        <Field
          label="Acts as"
          hint="The application acts as a service member of the team with this role. Scopes only narrow it."
          error={errors.role?.message}
        >
          <Select {...form.register("role")}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </Select>
        </Field>
      )}
      <ClientAuthenticationFields
        method={form.register("authMethod")}
        chosen={authMethod}
        jwks={form.register("jwks")}
        jwksUri={form.register("jwksUri")}
        errors={{ authMethod: errors.authMethod?.message, jwks: errors.jwks?.message, jwksUri: errors.jwksUri?.message }}
      />
      <Field
        label="Access token format"
        hint="A JWT can be checked offline against /oauth2/jwks; such a check sees a revocation only when the token expires."
        error={errors.accessTokenFormat?.message}
      >
        <Select {...form.register("accessTokenFormat")}>
          {Object.entries(ACCESS_TOKEN_FORMAT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <fieldset aria-describedby={errors.scopes ? "scopes-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-800">Define scopes</legend>
        <div className="mt-2 space-y-2">
          {SCOPE_CATALOGUE.map((scope) => (
            <label key={scope.name} className="flex gap-3 rounded-md border border-zinc-200 px-3 py-2 text-sm">
              <input type="checkbox" value={scope.name} {...form.register("scopes")} className="mt-1" aria-label={scope.name} />
              <span>
                <span className="font-mono text-xs font-semibold">{scope.name}</span>
                <span className="block text-zinc-600">{scope.description}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.scopes && (
          <p id="scopes-error" role="alert" className="mt-1 text-sm text-red-600">
            {errors.scopes.message}
          </p>
        )}
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Create
        </Button>
      </div>
    </HydratedForm>
  );
}
