"use client";
import type { FieldValues } from "react-hook-form";
import { FileTextField } from "@/components/connections/fields/file-text-field";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { RequestSpecInput } from "@/lib/http/spec";
import { OutputPreview } from "./output-preview";
import { specPath, useSpecWatch, type SpecForm } from "./spec-form";

type BooleanOption = { [K in keyof RequestSpecInput]-?: NonNullable<RequestSpecInput[K]> extends boolean ? K : never }[keyof RequestSpecInput];
type NumberOption = "timeoutSeconds" | "maxRetries" | "retryDelayMs" | "maxRedirects";

/** The request's options panel, for the spec wherever it sits in the form (`form.prefix`). */
export function Options<T extends FieldValues, TOut extends FieldValues = T>({
  form,
  outputNote,
}: {
  form: SpecForm<T, TOut>;
  /** Said under the Include full response preview, for where the options sit (a flow step). */
  outputNote?: string;
}) {
  const { register, errors } = form;
  const ignoreSsl = useSpecWatch(form, "ignoreSslErrors");
  const backoff = useSpecWatch(form, "exponentialBackoff");
  const proxyMode = useSpecWatch(form, "proxy.mode");
  const check = (name: BooleanOption, label: string) => (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" {...register(specPath(form.prefix, name))} /> {label}
    </label>
  );
  const num = (name: NumberOption, label: string) => (
    <Field label={label} error={errors?.[name]?.message}>
      <Input type="number" {...register(specPath(form.prefix, name), { valueAsNumber: true })} />
    </Field>
  );
  return (
    <details className="rounded-md border border-zinc-200 p-3">
      <summary className="cursor-pointer text-sm font-medium">Options: response, timeout, retries, redirects, TLS, proxy</summary>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <Field label="Response type" hint="How the response is read. No Accept header is sent unless you add one under Headers.">
          <Select {...register(specPath(form.prefix, "responseType"))}>
            <option value="json">JSON</option>
            <option value="text">Text</option>
            <option value="binary">Binary</option>
          </Select>
        </Field>
        {num("timeoutSeconds", "Timeout")}
        {num("maxRetries", "Max retry count")}
        {!backoff && num("retryDelayMs", "Retry delay (ms)")}
        {num("maxRedirects", "Max redirects")}
      </div>
      <div className="mt-3 grid gap-2 sm:grid-cols-2">
        {check("exponentialBackoff", "Use exponential backoff")}
        {check("retryOnAllErrors", "Retry on all errors")}
        {check("followRedirect", "Follow redirect")}
        {check("followAllRedirects", "Follow all redirect")}
        {check("requestCompressed", "Request compressed content")}
        {check("rejectUnauthorized", "Reject unverified certificates")}
        {check("ignoreSslErrors", "Ignore SSL errors")}
        {check("includeFullResponse", "Include full response")}
        {check("debug", "Debug request")}
        {check("forceHttp1", "Force HTTP/1.1")}
      </div>
      <OutputPreview form={form} note={outputNote} />
      {ignoreSsl && (
        <p role="alert" className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-800">
          Certificate errors will be ignored: anyone on the network path could read and change this request.
        </p>
      )}
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <Field
          label="Proxy"
          hint="Default: the connection's proxy, else the instance's (HTTPS_PROXY / HTTP_PROXY). A proxy that needs a password belongs on a connection."
        >
          <Select {...register(specPath(form.prefix, "proxy.mode"))}>
            <option value="default">Default</option>
            <option value="none">No proxy</option>
            <option value="custom">Proxy URL</option>
          </Select>
        </Field>
        {proxyMode === "custom" && (
          <Field label="Proxy URL" error={proxyUrlError(errors)}>
            <Input placeholder="http://proxy.corp.example:3128" {...register(specPath(form.prefix, "proxy.url"))} />
          </Field>
        )}
      </div>
      <div className="mt-3">
        <Field
          label="Self-signed certificate"
          error={errors?.caCertificatePem?.message}
          hint="A PEM CA certificate to trust for this request: paste it, or load the .pem / .crt file."
        >
          <FileTextField
            form={form}
            name={specPath(form.prefix, "caCertificatePem")}
            label="Self-signed certificate"
            accept=".pem,.crt,.cer"
            encoding="text"
            placeholder="-----BEGIN CERTIFICATE-----"
          />
        </Field>
      </div>
    </details>
  );
}

/** The proxy URL's message: the union's branches type its errors apart. */
function proxyUrlError(errors: SpecForm<FieldValues>["errors"]): string | undefined {
  const proxy = errors?.proxy;
  const url = proxy && "url" in proxy ? proxy.url : undefined;
  return url && typeof url === "object" && "message" in url && typeof url.message === "string" ? url.message : undefined;
}
