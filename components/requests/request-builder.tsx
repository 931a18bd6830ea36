"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useEffect, useRef, useState } from "react";
import { useForm, useWatch, type Control, type FieldValues, type UseFormRegister } from "react-hook-form";
import { saveRequestAction } from "@/app/(app)/requests/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { paginationSchema } from "@/lib/http/pagination-spec";
import { HTTP_METHODS, requestSpecSchema, type RequestSpec } from "@/lib/http/spec";
import { runRequestSchema, type RunRequestInput } from "@/lib/requests/schemas";
import type { RunView } from "@/lib/requests/run-view";
import { BodyEditor } from "./body-editor";
import { CopyAsCurl, CurlImport } from "./curl-tools";
import { KeyValueRows } from "./key-value-rows";
import { PaginationFields } from "./pagination-fields";
import { ResponseView } from "./response-view";

export type ConnectionOption = { id: string; name: string; type: string };

/** The blank request: the schemas' own defaults, with an empty URL to type into. */
export const EMPTY_REQUEST: RunRequestInput = {
  connectionId: null,
  spec: { ...requestSpecSchema.parse({ url: "https://example.invalid" }), url: "", caCertificatePem: "" },
  pagination: paginationSchema.parse({}),
};

type Errors = Record<string, { message?: string } | undefined>;

export function RequestBuilder({
  connections,
  initial,
  onRan,
}: {
  connections: ConnectionOption[];
  initial?: RunRequestInput;
  /** Told after each completed run (the history list refreshes). */
  onRan?: () => void;
}) {
  const form = useForm<FieldValues>({ resolver: zodResolver(runRequestSchema as never), defaultValues: initial ?? EMPTY_REQUEST });
  const { register, control, setValue, handleSubmit, reset } = form;
  const [view, setView] = useState<RunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const specErrors = (form.formState.errors.spec ?? {}) as Errors & Record<string, unknown>;

  useEffect(() => {
    if (initial) reset(initial);
  }, [initial, reset]);

  const send = handleSubmit(async (values) => {
    setError(null);
    setRunning(true);
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      const response = await fetch("/requests/run", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(values),
        signal: controller.signal,
      });
      const data = await response.json();
      if (!response.ok) {
        setError(data.error ?? `The server answered ${response.status}.`);
        for (const [field, message] of Object.entries((data.fieldErrors ?? {}) as Record<string, string>)) form.setError(field, { message });
      } else {
        setView(data as RunView);
        onRan?.();
      }
    } catch (e) {
      setError((e as Error).name === "AbortError" ? "Cancelled." : "Could not reach the server.");
    } finally {
      setRunning(false);
      abortRef.current = null;
    }
  });

  const onKeyDown = useCallback(
    (e: React.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        if (!running) void send();
      }
    },
    [running, send],
  );

  return (
    <div className="grid gap-6 lg:grid-cols-2" onKeyDown={onKeyDown}>
      <form onSubmit={send} className="space-y-4" noValidate aria-label="Request">
        <div className="grid grid-cols-[8rem_1fr] gap-3">
          <Field label="Method">
            <Select {...register("spec.method")}>
              {HTTP_METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
          </Field>
          <Field label="URL" error={specErrors.url?.message}>
            <Input placeholder="https://api.example.com/v1/items" spellCheck={false} {...register("spec.url")} />
          </Field>
        </div>
        <Field label="Connection" error={(form.formState.errors.connectionId as { message?: string })?.message}>
          <Select {...register("connectionId", { setValueAs: (v) => (v ? v : null) })}>
            <option value="">No connection</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.type})
              </option>
            ))}
          </Select>
        </Field>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" pending={running} disabled={running}>
            {running ? "Sending…" : "Send"}
          </Button>
          {running && (
            <Button type="button" variant="secondary" onClick={() => abortRef.current?.abort()}>
              Cancel
            </Button>
          )}
          <span className="self-center text-xs text-zinc-500">Ctrl/⌘ + Enter</span>
        </div>
        <FormMessage error={error} />
        <KeyValueRows label="Headers" name="spec.headers" control={control} register={register} errors={specErrors.headers as never} />
        <KeyValueRows label="Query String" name="spec.query" control={control} register={register} errors={specErrors.query as never} />
        <BodyEditor control={control} register={register} setValue={setValue} errors={(specErrors.body ?? {}) as Errors} />
        <Options register={register} control={control} errors={specErrors} />
        <PaginationFields control={control} register={register} errors={(form.formState.errors.pagination ?? {}) as Errors} />
        <div className="flex flex-wrap items-start gap-2 border-t border-zinc-200 pt-4">
          <CurlImport onImport={(spec: RequestSpec) =>
              reset({ connectionId: form.getValues("connectionId"), spec: { ...EMPTY_REQUEST.spec, ...spec }, pagination: EMPTY_REQUEST.pagination })
            } />
          <CopyAsCurl getValues={() => form.getValues() as RunRequestInput} />
        </div>
        <SaveRequest control={control} />
      </form>
      <section aria-label="Response" className="min-w-0">
        <h2 className="mb-3 text-lg font-semibold">Response</h2>
        {running && <p className="mb-3 text-sm text-zinc-600" role="status">Sending the request…</p>}
        {view ? <ResponseView view={view} /> : <p className="text-sm text-zinc-500">Send a request to see its response here.</p>}
      </section>
    </div>
  );
}

/** The request's options panel; `prefix` is where the spec sits in the form ("spec", or a flow step's "steps.0.spec"). */
export function Options({
  register,
  control,
  errors,
  prefix = "spec",
}: {
  register: UseFormRegister<FieldValues>;
  control: Control<FieldValues>;
  errors: Errors;
  prefix?: string;
}) {
  const ignoreSsl = useWatch({ control, name: `${prefix}.ignoreSslErrors` }) as boolean;
  const backoff = useWatch({ control, name: `${prefix}.exponentialBackoff` }) as boolean;
  const check = (name: string, label: string) => (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" {...register(name)} /> {label}
    </label>
  );
  const num = (name: string, label: string, key: string) => (
    <Field label={label} error={errors[key]?.message}>
      <Input type="number" {...register(name, { valueAsNumber: true })} />
    </Field>
  );
  return (
    <details className="rounded-md border border-zinc-200 p-3">
      <summary className="cursor-pointer text-sm font-medium">Options: response, timeout, retries, redirects, TLS</summary>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <Field label="Response type">
          <Select {...register(`${prefix}.responseType`)}>
            <option value="json">JSON</option>
            <option value="text">Text</option>
            <option value="binary">Binary</option>
          </Select>
        </Field>
        {num(`${prefix}.timeoutSeconds`, "Timeout", "timeoutSeconds")}
        {num(`${prefix}.maxRetries`, "Max retry count", "maxRetries")}
        {!backoff && num(`${prefix}.retryDelayMs`, "Retry delay (ms)", "retryDelayMs")}
        {num(`${prefix}.maxRedirects`, "Max redirects", "maxRedirects")}
      </div>
      <div className="mt-3 grid gap-2 sm:grid-cols-2">
        {check(`${prefix}.exponentialBackoff`, "Use exponential backoff")}
        {check(`${prefix}.retryOnAllErrors`, "Retry on all errors")}
        {check(`${prefix}.followRedirect`, "Follow redirect")}
        {check(`${prefix}.followAllRedirects`, "Follow all redirect")}
        {check(`${prefix}.requestCompressed`, "Request compressed content")}
        {check(`${prefix}.rejectUnauthorized`, "Reject unverified certificates")}
        {check(`${prefix}.ignoreSslErrors`, "Ignore SSL errors")}
        {check(`${prefix}.includeFullResponse`, "Include full response")}
        {check(`${prefix}.debug`, "Debug request")}
      </div>
      {ignoreSsl && (
        <p role="alert" className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-800">
          Certificate errors will be ignored: anyone on the network path could read and change this request.
        </p>
      )}
      <div className="mt-3">
        <Field label="Self-signed certificate" error={errors.caCertificatePem?.message} hint="A PEM CA certificate to trust for this request.">
          <Textarea rows={3} placeholder="-----BEGIN CERTIFICATE-----" {...register(`${prefix}.caCertificatePem`)} />
        </Field>
      </div>
    </details>
  );
}

function SaveRequest({ control }: { control: Control<FieldValues> }) {
  const values = useWatch({ control }) as RunRequestInput;
  const [name, setName] = useState("");
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="w-64">
        <Field label="Request name">
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
      </div>
      <Button
        type="button"
        variant="secondary"
        onClick={async () => {
          const result = await saveRequestAction({ name, connectionId: values.connectionId ?? null, spec: values.spec });
          setMessage(result.ok ? { success: `Saved as “${name}”.` } : { error: result.fieldErrors?.name ?? result.error });
        }}
      >
        Save request
      </Button>
      <div className="w-full">
        <FormMessage error={message.error} success={message.success} />
      </div>
    </div>
  );
}
