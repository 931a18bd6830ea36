"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import type { Path, UseFormReturn } from "react-hook-form";
import { discoverProviderAction, saveConnectionAction } from "@/app/(app)/connections/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { ConnectionFormDefaults, ConnectionFormValues, ConnectionInput, ConnectionType, SaveCheck } from "@/lib/connections/schemas";
import { CLIENT_CERTIFICATE_SECRET_FIELDS, clientCertificateFormFields } from "@/lib/connections/types/common";
import type { FormField } from "@/lib/connections/types/descriptor";
import { connectionTypeForm } from "@/lib/connections/types/forms";
import { proxyFormFields } from "@/lib/connections/types/proxy-form";
import { errorAt, KeyValueField } from "./fields/key-value-field";
import { FileTextField } from "./fields/file-text-field";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { HealthFields } from "./health-fields";
import { VariableSuggestions } from "@/components/variables/variable-suggestions";

/** A connection just saved, as a picker lists it. */
export type SavedConnection = { id: string; name: string; type: ConnectionType };
type Discovered = { issuer: string; authorizeUrl?: string; tokenUrl?: string; source: string; scopesSupported?: string[] };
type Values = ConnectionFormValues;
type Form = UseFormReturn<Values, unknown, ConnectionInput>;

/**
 * The create/edit form of any connection type, rendered from the type's descriptor (its fields, in order,
 * with typed paths into its schema), followed by the fields every type has.
 */
export function ConnectionForm({
  type,
  connectionId,
  defaults,
  callbackUrl,
  onSaved,
  returnPath,
  onBeforeConsent,
  variableNames = [],
}: {
  type: ConnectionType;
  connectionId?: string;
  defaults?: ConnectionFormDefaults;
  callbackUrl: string;
  /** Told the saved connection (created in place, the caller selects it). */
  onSaved: (saved: SavedConnection) => void;
  /** Where the provider's consent comes back to (a page on this site); the Connections tab when absent. */
  returnPath?: string;
  /** Called just before the browser leaves for the provider (the caller keeps its unsaved form). */
  onBeforeConsent?: () => void;
  /** The team's variables, offered as {{vars.NAME}} for the Test URL and the Host. */
  variableNames?: string[];
}) {
  const router = useRouter();
  const descriptor = connectionTypeForm(type);
  const [redirecting, setRedirecting] = useState(false);
  const [certificateOpen, setCertificateOpen] = useState(false);
  const [proxyOpen, setProxyOpen] = useState(false);
  // Test on save: the failed check, shown above Save with "Save anyway" (which sends skipCheck once).
  const [checkFailure, setCheckFailure] = useState<SaveCheck | null>(null);
  const skipCheckOnce = useRef(false);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: descriptor.schema,
    // Secret fields start empty on edit: they must be typed again.
    defaultValues: defaults ?? descriptor.defaults,
    action: async (input) => {
      const skipCheck = skipCheckOnce.current;
      skipCheckOnce.current = false;
      setCheckFailure(null);
      const result = await saveConnectionAction({ connectionId, input, skipCheck, returnPath });
      if (result.ok || !result.fieldErrors) return result;
      // The action's schema nests the form under `input`.
      const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k.replace(/^input\./, ""), v]));
      return { ...result, fieldErrors };
    },
    onSuccess: (data) => {
      if (data.outcome === "check_failed") {
        setCheckFailure(data.check);
        return;
      }
      if (data.redirectUrl !== null) {
        setRedirecting(true);
        onBeforeConsent?.();
        window.location.assign(data.redirectUrl);
        return;
      }
      onSaved({ id: data.id, name: form.getValues("name"), type });
      router.refresh();
    },
  });
  const values = form.watch();
  const holdsTokens = descriptor.holdsToken?.(values) === true;

  return (
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      {descriptor.warning && (
        <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {descriptor.warning}
        </p>
      )}
      <TextControl form={form} name="name" label="Connection name" placeholder="e.g. GitHub (ops bot)" />
      {descriptor.fields.map((field) => (
        <FieldControl key={fieldKey(field)} form={form} field={field} values={values} callbackUrl={callbackUrl} />
      ))}
      <details
        className="rounded-md border border-zinc-200 p-3 [&[open]>summary]:mb-3"
        // Opened by the user, or by an error inside it (a closed box would hide the message).
        open={certificateOpen || CLIENT_CERTIFICATE_SECRET_FIELDS.some((f) => !!errorAt(form.formState.errors, f))}
        onToggle={(e) => setCertificateOpen(e.currentTarget.open)}
      >
        <summary className="cursor-pointer text-sm font-medium text-zinc-800">Client certificate (mutual TLS, optional)</summary>
        <div className="space-y-4">
          {clientCertificateFormFields.map((field) => (
            <FieldControl key={field.name} form={form} field={field} values={values} callbackUrl={callbackUrl} />
          ))}
        </div>
      </details>
      <details
        className="rounded-md border border-zinc-200 p-3 [&[open]>summary]:mb-3"
        // Open when a proxy is set (so the choice is visible on edit), opened by the user, or by an error inside it.
        open={proxyOpen || (values.proxyMode ?? "default") !== "default" || proxyFormFields.some((f) => !!errorAt(form.formState.errors, f.name))}
        onToggle={(e) => setProxyOpen(e.currentTarget.open)}
      >
        <summary className="cursor-pointer text-sm font-medium text-zinc-800">Proxy</summary>
        <div className="space-y-4">
          {proxyFormFields.map((field) => (
            <FieldControl key={field.name} form={form} field={field} values={values} callbackUrl={callbackUrl} />
          ))}
        </div>
      </details>
      <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
        <TextControl
          form={form}
          name="testUrl"
          label="Test URL"
          hint="Optional: Verify calls it with the credentials applied, and so does Save (nothing is saved if it fails). Relative (/me) when Host is set; {{vars.NAME}} is filled in when it is used."
          placeholder="https://api.example.com/me"
        />
        <SelectControl
          form={form}
          name="testMethod"
          label="Test method"
          options={[
            ["GET", "GET"],
            ["POST", "POST"],
            ["HEAD", "HEAD"],
          ]}
        />
      </div>
      <VariableSuggestions names={variableNames} />
      <TextControl
        form={form}
        name="allowedDomains"
        label="Allowed domains"
        hint="Hosts the credentials may be sent to, comma-separated (wildcards like *.example.com). Empty: the hosts of the URLs in this form."
      />
      <TextControl
        form={form}
        name="expiredStatuses"
        label={holdsTokens ? "Token expired status codes" : "Credentials refused status codes"}
        hint={
          holdsTokens
            ? "Answers that mean the token expired: refreshed once and resent. Usually 401."
            : "Answers that mean the credentials were refused: the request is sent once more (a Digest challenge is answered). Usually 401."
        }
      />
      <HealthFields form={form} holdsTokens={holdsTokens} />
      {checkFailure && (
        <div
          role="alert"
          data-testid="save-check-failure"
          className="space-y-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          <p>
            <span className="font-medium">
              The check failed, so nothing was saved{connectionId ? " (the connection keeps its current settings)" : ""}:
            </span>{" "}
            {checkFailure.message}
          </p>
          <p className="text-red-700">Fix the settings and save again, or save them as they are: the connection will show that its check failed.</p>
          <Button
            type="button"
            variant="secondary"
            pending={pending}
            onClick={() => {
              skipCheckOnce.current = true;
              void onSubmit();
            }}
          >
            Save anyway
          </Button>
        </div>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" pending={pending || redirecting}>
          {descriptor.submitLabel ?? "Save"}
        </Button>
        {descriptor.submitLabel && <span className="text-xs text-zinc-500">You will be sent to the provider to grant access.</span>}
      </div>
    </HydratedForm>
  );
}

/** A field's stable key: its path, or what it shows. */
function fieldKey(field: FormField<Values>): string {
  if ("name" in field) return field.name;
  return field.kind === "row" ? field.fields.map(fieldKey).join("+") : field.kind;
}

function FieldControl({ form, field, values, callbackUrl }: { form: Form; field: FormField<Values>; values: Values; callbackUrl: string }) {
  if ("when" in field && field.when && !field.when(values)) return null;
  switch (field.kind) {
    case "text":
      return (
        <TextControl form={form} name={field.name} label={field.label} hint={field.hint} placeholder={field.placeholder} secret={field.secret} />
      );
    case "textarea":
      return (
        <Field label={field.label} hint={field.hint} error={errorAt(form.formState.errors, field.name)}>
          {field.file ? (
            <FileTextField
              form={form}
              name={field.name}
              label={field.label}
              accept={field.file.accept}
              encoding={field.file.encoding}
              placeholder={field.placeholder}
            />
          ) : (
            <Textarea rows={3} spellCheck={false} placeholder={field.placeholder} {...form.register(field.name)} />
          )}
        </Field>
      );
    case "select":
      return <SelectControl form={form} name={field.name} label={field.label} hint={field.hint} options={field.options} />;
    case "checkbox":
      return (
        <div className="space-y-1">
          <label className="flex items-center gap-2 text-sm font-medium text-zinc-800">
            <input type="checkbox" {...form.register(field.name)} className="size-4" />
            {field.label}
          </label>
          {field.hint && <p className="text-xs text-zinc-500">{field.hint}</p>}
        </div>
      );
    case "rows":
      return (
        <KeyValueField
          form={form}
          name={field.name}
          label={field.label}
          hint={field.hint}
          nameLabel={field.nameLabel}
          valueLabel={field.valueLabel}
        />
      );
    case "discovery":
      return <Discovery fills={field.fills} onFill={(name, value) => form.setValue(name, value, { shouldDirty: true })} />;
    case "callback-url":
      return (
        <div className="space-y-1">
          <span className="block text-sm font-medium text-zinc-800">Callback URL</span>
          <div className="flex gap-2">
            <Input readOnly value={callbackUrl} aria-label="Callback URL" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={callbackUrl} />
          </div>
          <p className="text-xs text-zinc-500">Register this redirect URI at the provider.</p>
        </div>
      );
    case "row":
      return (
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
          {field.fields.map((inner) => (
            <FieldControl key={fieldKey(inner)} form={form} field={inner} values={values} callbackUrl={callbackUrl} />
          ))}
        </div>
      );
  }
}

function TextControl({
  form,
  name,
  label,
  hint,
  placeholder,
  secret,
}: {
  form: Form;
  name: Path<Values>;
  label: string;
  hint?: string;
  placeholder?: string;
  secret?: boolean;
}) {
  return (
    <Field label={label} error={errorAt(form.formState.errors, name)} hint={hint}>
      <Input
        {...form.register(name)}
        type={secret ? "password" : "text"}
        autoComplete={secret ? "new-password" : "off"}
        spellCheck={false}
        placeholder={placeholder}
      />
    </Field>
  );
}

function SelectControl({
  form,
  name,
  label,
  hint,
  options,
}: {
  form: Form;
  name: Path<Values>;
  label: string;
  hint?: string;
  options: ReadonlyArray<readonly [string, string]>;
}) {
  return (
    <Field label={label} error={errorAt(form.formState.errors, name)} hint={hint}>
      <Select {...form.register(name)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </Select>
    </Field>
  );
}

function Discovery({
  fills,
  onFill,
}: {
  fills: { tokenUrl?: boolean; authorizeUrl?: boolean; issuer?: boolean };
  onFill: (name: "tokenUrl" | "authorizeUrl" | "issuer" | "issParameterSupported", value: string | boolean) => void;
}) {
  const [issuerUrl, setIssuerUrl] = useState("");
  const [found, setFound] = useState<Discovered | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = () =>
    start(async () => {
      setError(null);
      setFound(null);
      const r = await discoverProviderAction({ issuerUrl });
      if (!r.ok) return setError(r.fieldErrors?.issuerUrl ?? r.error);
      const d = r.data;
      setFound(d);
      if (fills.tokenUrl && d.tokenUrl) onFill("tokenUrl", d.tokenUrl);
      if (fills.authorizeUrl && d.authorizeUrl) onFill("authorizeUrl", d.authorizeUrl);
      if (fills.issuer) {
        onFill("issuer", d.issuer);
        onFill("issParameterSupported", d.issParameterSupported);
      }
    });
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-3">
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field
            label="Discover from issuer URL"
            hint="Fills the endpoints from the provider's RFC 8414 / OpenID discovery document; you can still edit them."
            error={error ?? undefined}
          >
            <Input value={issuerUrl} onChange={(e) => setIssuerUrl(e.target.value)} placeholder="https://accounts.example.com" spellCheck={false} />
          </Field>
        </div>
        <Button type="button" variant="secondary" onClick={run} pending={pending} disabled={!issuerUrl.trim()}>
          Discover
        </Button>
      </div>
      {found && (
        <dl className="grid grid-cols-[9rem_1fr] gap-x-2 text-xs" data-testid="discovered">
          <dt className="text-zinc-500">Issuer</dt>
          <dd className="font-mono">{found.issuer}</dd>
          {found.authorizeUrl && fills.authorizeUrl && (
            <>
              <dt className="text-zinc-500">Authorize URL</dt>
              <dd className="font-mono">{found.authorizeUrl}</dd>
            </>
          )}
          <dt className="text-zinc-500">Token URL</dt>
          <dd className="font-mono">{found.tokenUrl ?? "—"}</dd>
          {found.scopesSupported && (
            <>
              <dt className="text-zinc-500">Scopes offered</dt>
              <dd className="font-mono">{found.scopesSupported.join(" ")}</dd>
            </>
          )}
          <dt className="text-zinc-500">Document</dt>
          <dd>{found.source === "openid-configuration" ? "OpenID discovery" : "RFC 8414 metadata"}</dd>
        </dl>
      )}
    </div>
  );
}
