"use client";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useRef, useState } from "react";
import { useForm, type FieldPath } from "react-hook-form";
import { saveRequestAction } from "@/app/(app)/requests/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { z } from "zod";
import { HTTP_METHODS } from "@/lib/http/methods";
import type { RequestSpec } from "@/lib/http/spec";
import { EMPTY_REQUEST } from "@/lib/requests/empty-request";
import type { runRequestSchema, RunRequestInput } from "@/lib/requests/schemas";
import type { RunView } from "@/lib/requests/run-view";
import { BodyEditor } from "./body-editor";
import { KeyValueRows } from "./key-value-rows";
import { PaginationFields } from "./pagination-fields";
import type { SpecForm } from "./spec-form";
import { CopyAsCurl, CurlImport } from "./curl-tools";
import { Options } from "./request-options";
import { SessionCookies, useBuilderCookies } from "./session-cookies";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { ConnectionPicker } from "@/components/connections/connection-picker";
import { useLazyZodResolver } from "@/components/forms/use-action-form";
import { NewConnection, useConsentReturn, useCreatedConnections } from "@/components/connections/new-connection";
import { keepConsentDraft } from "@/lib/connections/consent-draft";
import { VariableSuggestions } from "@/components/variables/variable-suggestions";

export type ConnectionOption = { id: string; name: string; type: string };

type RunRequest = z.output<typeof runRequestSchema>;

const BUILDER_DRAFT = { form: "request-builder" } as const;

/**
 * The response view (with its timing waterfall) is shown only after a run, so it is not part of the page's
 * first load (issue 13's budget); Send starts loading it while the request is on its way.
 */
const loadResponseView = () => import("./response-view").then((m) => m.ResponseView);
const ResponseView = dynamic(loadResponseView, {
  loading: () => (
    <p className="text-sm text-zinc-600" role="status">
      Showing the response…
    </p>
  ),
});

/** The blank request (plain values equal to the schemas' defaults, so no zod at first paint). */
export { EMPTY_REQUEST };
/** The options panel lives in ./request-options (the flow editor uses it without the whole builder). */
export { Options };

export function RequestBuilder({
  connections,
  initial,
  busy = false,
  onRan,
  callbackUrl,
  variableNames = [],
}: {
  connections: ConnectionOption[];
  /** The team's variables, offered as {{vars.NAME}}. */
  variableNames?: string[];
  initial?: RunRequestInput;
  /** Loading values into the form (a history entry): it takes no typing until they are in. */
  busy?: boolean;
  /** The OAuth callback URL, shown by "New connection…" (absent: no creation in place). */
  callbackUrl?: string;
  /** Told after each completed run (the history list refreshes). */
  onRan?: () => void;
}) {
  const runRequestResolver = useLazyZodResolver(() => import("@/lib/requests/schemas").then((m) => m.runRequestSchema));
  const form = useForm<RunRequestInput, unknown, RunRequest>({ resolver: runRequestResolver, defaultValues: initial ?? EMPTY_REQUEST });
  const { register, control, setValue, handleSubmit, reset } = form;
  const specForm: SpecForm<RunRequestInput, RunRequest> = { control, register, setValue, prefix: "spec", errors: form.formState.errors.spec };
  const [view, setView] = useState<RunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const jar = useBuilderCookies();
  const specErrors = form.formState.errors.spec;

  useEffect(() => {
    if (initial) reset(initial);
  }, [initial, reset]);

  // "New connection…" in place: the created connection is listed and selected; a consent comes back here
  // with the unsaved request kept in sessionStorage.
  const picker = useCreatedConnections(connections);
  const selectConnection = (id: string) => setValue("connectionId", id || null, { shouldDirty: true });
  const connectionId = form.watch("connectionId");
  useConsentReturn<RunRequestInput>(BUILDER_DRAFT, ({ draft, connectionId }) => {
    if (draft) reset(draft.values);
    // The picker names a connection it has not listed by asking the server.
    if (connectionId) selectConnection(connectionId);
  });

  const send = handleSubmit(async (values) => {
    loadResponseView().catch(() => {}); // a failed load shows when the view renders
    setError(null);
    setRunning(true);
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      const response = await fetch("/requests/run", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        // The jar is the tab's, not the request's: loading a history entry or a cURL command keeps it.
        body: JSON.stringify({ ...values, cookieSession: jar.cookieSession }),
        signal: controller.signal,
      });
      const data = await response.json();
      if (!response.ok) {
        setError(data.error ?? `The server answered ${response.status}.`);
        for (const [field, message] of Object.entries((data.fieldErrors ?? {}) as Record<string, string>)) {
          // The server names fields by their path in the request ("spec.url"), the form's own names.
          form.setError(field as FieldPath<RunRequestInput>, { message });
        }
      } else {
        const ran = data as RunView;
        setView(ran);
        if (ran.cookies) jar.setCookies(ran.cookies);
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
    // biome-ignore lint/a11y/noStaticElementInteractions: catches Ctrl/⌘+Enter bubbling up from the form's own fields.
    <div className="grid gap-6 lg:grid-cols-2" onKeyDown={onKeyDown}>
      <HydratedForm onSubmit={send} busy={busy} className="space-y-4" noValidate aria-label="Request">
        <div className="grid grid-cols-[8rem_1fr] gap-3">
          <Field label="Method">
            <Select {...register("spec.method")}>
              {HTTP_METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
          </Field>
          <Field label="URL" error={specErrors?.url?.message}>
            <Input placeholder="https://api.example.com/v1/items" spellCheck={false} {...register("spec.url")} />
          </Field>
        </div>
        <VariableSuggestions names={variableNames} />
        <Field label="Connection" error={form.formState.errors.connectionId?.message}>
          <ConnectionPicker value={connectionId ?? ""} onChange={(id) => selectConnection(id)} known={picker.options} />
        </Field>
        {callbackUrl && (
          <NewConnection
            callbackUrl={callbackUrl}
            onCreated={(saved) => picker.add(saved, selectConnection)}
            onBeforeConsent={() => keepConsentDraft(window.sessionStorage, BUILDER_DRAFT, { values: form.getValues() })}
          />
        )}
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
        <KeyValueRows label="Headers" list="headers" form={specForm} errors={specErrors?.headers} />
        <KeyValueRows label="Query String" list="query" form={specForm} errors={specErrors?.query} />
        <BodyEditor form={specForm} />
        <Options form={specForm} />
        <SessionCookies state={jar} />
        <PaginationFields control={control} register={register} errors={form.formState.errors.pagination} />
        <div className="flex flex-wrap items-start gap-2 border-t border-zinc-200 pt-4">
          <CurlImport
            onImport={(spec: RequestSpec) =>
              reset({ connectionId: form.getValues("connectionId"), spec: { ...EMPTY_REQUEST.spec, ...spec }, pagination: EMPTY_REQUEST.pagination })
            }
          />
          <CopyAsCurl getValues={() => form.getValues()} />
        </div>
        <SaveRequest getValues={() => form.getValues()} />
      </HydratedForm>
      <section aria-label="Response" className="min-w-0">
        <h2 className="mb-3 text-lg font-semibold">Response</h2>
        {running && (
          <p className="mb-3 text-sm text-zinc-600" role="status">
            Sending the request…
          </p>
        )}
        {view ? <ResponseView view={view} /> : <p className="text-sm text-zinc-500">Send a request to see its response here.</p>}
      </section>
    </div>
  );
}

function SaveRequest({ getValues }: { getValues: () => RunRequestInput }) {
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
          const values = getValues();
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
