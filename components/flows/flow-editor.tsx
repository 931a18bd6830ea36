"use client";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import {
  useFieldArray,
  useForm,
  useWatch,
  type FieldErrors,
  type FieldPath,
  type Resolver,
  type ResolverOptions,
  type UseFormRegister,
  type UseFormSetValue,
} from "react-hook-form";
import { saveFlowAction } from "@/app/(app)/flows/actions";
import { EMPTY_REQUEST } from "@/lib/requests/empty-request";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { FlowDefinition, FlowDefinitionInput } from "@/lib/flows/model";
import { StepEditor, type ConnectionOption, type FlowFormControl, type FlowFormValues } from "./step-editor";
import { useHydrated } from "@/components/ui/use-hydrated";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { ConnectionPicker } from "@/components/connections/connection-picker";
import { useLazyZodResolver } from "@/components/forms/use-action-form";
import { NewConnection, useConsentReturn, useCreatedConnections } from "@/components/connections/new-connection";
import { keepConsentDraft } from "@/lib/connections/consent-draft";

export type SavedRequestOption = { id: string; name: string; connectionId: string | null; spec: Record<string, unknown> };

/** Paths from the last run: the input's, and each step's by name. */
export type RunSuggestions = { input: string[]; steps: Record<string, string[]>; vars: string[] };

const NEW_FLOW: FlowFormValues = {
  name: "",
  description: "",
  sampleInput: "{}",
  slots: [],
  steps: [{ name: "step1", connection: "", onError: "stop", spec: structuredClone(EMPTY_REQUEST.spec) }],
  active: true,
  scheduleEnabled: false,
  scheduleCron: "",
  scheduleTimezone: "UTC",
  webhookWaitForResult: false,
  maxConcurrentRuns: 1,
  runRetries: 0,
  runTimeoutSeconds: 900,
  retentionDays: 30,
};

/**
 * The flow schema checks the form: it takes any step spec (a template the server checks), and the form's
 * step specs are requests, so every FlowFormValues is a FlowDefinitionInput. The resolver's types differ
 * only by that narrowing, which react-hook-form's Resolver type (invariant in its values) cannot express.
 */
function asFlowFormResolver(
  flowSchemaResolver: Resolver<FlowDefinitionInput, unknown, FlowDefinition>,
): Resolver<FlowFormValues, unknown, FlowDefinition> {
  return (values, context, options) =>
    flowSchemaResolver(values, context, options as unknown as ResolverOptions<FlowDefinitionInput>) as unknown as ReturnType<
      Resolver<FlowFormValues, unknown, FlowDefinition>
    >;
}

// The schedule's check and description (croner, cronstrue) load when a schedule is switched on.
const ScheduleCheckView = dynamic(() => import("./schedule-check").then((m) => m.ScheduleCheckView));

/** The flow schema (zod) is loaded on the first focus or key press, not with the page (issue 13). */
const loadFlowSchema = () => import("@/lib/flows/model").then((m) => m.flowDefinitionSchema);

/** A stored flow as the form edits it: each step's spec over the blank request's fields. */
function toFormValues(flow: FlowDefinitionInput): FlowFormValues {
  return { ...flow, steps: flow.steps.map((step) => ({ ...step, spec: { ...EMPTY_REQUEST.spec, ...step.spec } })) };
}

export function FlowEditor({
  flowId,
  initial,
  connections,
  saved,
  suggestions,
  callbackUrl,
}: {
  flowId: string | null;
  /** null: a new flow with one empty step. */
  initial: FlowDefinitionInput | null;
  connections: ConnectionOption[];
  saved: SavedRequestOption[];
  suggestions: RunSuggestions;
  /** The OAuth callback URL, shown by a step's "New connection…" (absent: no creation in place). */
  callbackUrl?: string;
}) {
  const router = useRouter();
  const flowSchemaResolver = useLazyZodResolver(loadFlowSchema);
  const flowFormResolver = useMemo(() => asFlowFormResolver(flowSchemaResolver), [flowSchemaResolver]);
  const form = useForm<FlowFormValues, unknown, FlowDefinition>({
    resolver: flowFormResolver,
    defaultValues: initial ? toFormValues(initial) : NEW_FLOW,
  });
  const { register, control, setValue, handleSubmit, formState } = form;
  const steps = useFieldArray({ control, name: "steps" });
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [pending, startTransition] = useTransition();
  const errors = formState.errors;
  const stepNames = useWatch({ control, name: "steps" })?.map((s) => s.name) ?? [];

  // A step's "New connection…": the created connection is listed and selected in that step; a consent
  // comes back here with the unsaved flow kept in sessionStorage (see components/connections/new-connection).
  const draftKey = { form: "flow", flowId } as const;
  const picker = useCreatedConnections(connections);
  const selectInStep = (index: number) => (id: string) => setValue(`steps.${index}.connection`, `connection:${id}`, { shouldDirty: true });
  useConsentReturn<FlowFormValues>(draftKey, ({ draft, connectionId }) => {
    if (draft) form.reset(draft.values, { keepDefaultValues: true });
    // The picker names a connection it has not listed by asking the server.
    if (draft?.stepIndex !== undefined && connectionId) selectInStep(draft.stepIndex)(connectionId);
  });

  const save = handleSubmit(
    (values) =>
      startTransition(async () => {
        setMessage({});
        const result = await saveFlowAction({ flowId, flow: values }).catch(() => null);
        if (!result) return setMessage({ error: "Could not reach the server. Try again." });
        if (!result.ok) {
          setMessage({ error: result.error });
          for (const [field, text] of Object.entries(result.fieldErrors ?? {})) {
            // The action names fields by their path under `flow`, which is this form's path.
            form.setError(field.replace(/^flow\./, "") as FieldPath<FlowFormValues>, { type: "server", message: text });
          }
          return;
        }
        if (!flowId) router.push(`/flows/${result.data.id}`);
        else {
          setMessage({ success: "Saved." });
          router.refresh();
        }
      }),
    () => setMessage({ error: "Check the highlighted fields." }),
  );

  const addStep = (from?: SavedRequestOption) => {
    const n = steps.fields.length + 1;
    const base = from ? from.name.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^[^A-Za-z_]+/, "") || `step${n}` : `step${n}`;
    steps.append({
      name: stepNames.includes(base) ? `${base}${n}` : base,
      connection: from?.connectionId ? `connection:${from.connectionId}` : "",
      onError: "stop",
      // A deep copy: steps must not share nested objects (body, header rows) with each other.
      spec: structuredClone({ ...EMPTY_REQUEST.spec, ...(from?.spec ?? {}) }),
    });
  };

  return (
    <HydratedForm onSubmit={save} noValidate className="space-y-6" aria-label="Flow">
      <section className="grid gap-4 rounded-lg border border-zinc-200 bg-white p-4 sm:grid-cols-2">
        <Field label="Flow name" error={errors.name?.message}>
          <Input {...register("name")} />
        </Field>
        <Field label="Description" error={errors.description?.message}>
          <Input {...register("description")} />
        </Field>
        <div className="sm:col-span-2">
          <Field
            label="Input (JSON)"
            error={errors.sampleInput?.message}
            hint="Offered by Run now and used by scheduled runs. Steps read it as {{input.…}}."
          >
            <Textarea rows={3} spellCheck={false} {...register("sampleInput")} />
          </Field>
        </div>
      </section>

      <Slots control={control} register={register} setValue={setValue} connections={picker.options} errors={errors.slots} />

      <section className="space-y-4" aria-label="Steps">
        <h2 className="text-lg font-semibold">Steps</h2>
        {steps.fields.length === 0 && <p className="text-sm text-zinc-500">A flow needs at least one step.</p>}
        {errors.steps?.message && <FormMessage error={errors.steps.message} />}
        {steps.fields.map((field, index) => (
          <StepEditor
            key={field.id}
            index={index}
            count={steps.fields.length}
            control={control}
            register={register}
            setValue={setValue}
            errors={errors.steps?.[index]}
            connections={picker.options}
            connectionAction={
              callbackUrl && (
                <NewConnection
                  callbackUrl={callbackUrl}
                  onCreated={(created) => picker.add(created, selectInStep(index))}
                  onBeforeConsent={() => keepConsentDraft(window.sessionStorage, draftKey, { values: form.getValues(), stepIndex: index })}
                />
              )
            }
            suggestions={[...suggestions.vars, ...suggestions.input, ...stepNames.slice(0, index).flatMap((n) => suggestions.steps[n] ?? [])]}
            onMove={(to) => steps.move(index, to)}
            onRemove={() => steps.remove(index)}
          />
        ))}
        <div className="flex flex-wrap items-end gap-2">
          <Button type="button" variant="secondary" onClick={() => addStep()}>
            Add step
          </Button>
          {saved.length > 0 && (
            <div className="w-72">
              <Field label="Add a step from a saved request">
                <Select
                  value=""
                  onChange={(e) => {
                    const found = saved.find((s) => s.id === e.target.value);
                    if (found) addStep(found);
                  }}
                >
                  <option value="">Choose a saved request…</option>
                  {saved.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
          )}
        </div>
      </section>

      <Schedule control={control} register={register} errors={errors} />
      <Settings register={register} errors={errors} />

      <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-zinc-200 bg-zinc-50/95 py-3">
        <Button type="submit" pending={pending}>
          {flowId ? "Save flow" : "Create flow"}
        </Button>
        <div className="min-w-64 flex-1">
          <FormMessage error={message.error} success={message.success} />
        </div>
      </div>
    </HydratedForm>
  );
}

function Slots({
  control,
  register,
  setValue,
  connections,
  errors,
}: {
  control: FlowFormControl;
  register: UseFormRegister<FlowFormValues>;
  setValue: UseFormSetValue<FlowFormValues>;
  connections: ConnectionOption[];
  errors?: FieldErrors<FlowFormValues>["slots"];
}) {
  const slots = useFieldArray({ control, name: "slots" });
  return (
    <section className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4" aria-label="Connection slots">
      <div>
        <h2 className="text-lg font-semibold">Connection slots</h2>
        <p className="text-sm text-zinc-600">
          A slot is a connection each run chooses (for example “CRM account”), so one flow serves several accounts.
        </p>
      </div>
      {slots.fields.map((field, index) => (
        <div key={field.id} className="grid items-end gap-3 sm:grid-cols-[1fr_1fr_auto]">
          <Field label={`Slot ${index + 1} name`} error={errors?.[index]?.name?.message}>
            <Input {...register(`slots.${index}.name`)} />
          </Field>
          <Field label={`Slot ${index + 1} default connection`} error={errors?.[index]?.defaultConnectionId?.message}>
            <SlotDefaultPicker control={control} setValue={setValue} index={index} connections={connections} />
          </Field>
          <Button type="button" variant="ghost" onClick={() => slots.remove(index)} aria-label={`Remove slot ${index + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      <Button type="button" size="sm" variant="secondary" onClick={() => slots.append({ name: "", defaultConnectionId: null })}>
        Add slot
      </Button>
    </section>
  );
}

type FlowErrors = FieldErrors<FlowFormValues>;

function Schedule({ control, register, errors }: { control: FlowFormControl; register: UseFormRegister<FlowFormValues>; errors: FlowErrors }) {
  const [enabled, cron, timezone] = useWatch({ control, name: ["scheduleEnabled", "scheduleCron", "scheduleTimezone"] });
  // The next run times depend on the clock and the zone list on the browser's Intl data: both are shown
  // only once hydrated, so the server's HTML never disagrees with the first client render.
  const hydrated = useHydrated();
  const zones = useMemo(() => (hydrated && typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"]), [hydrated]);
  return (
    <section className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4" aria-label="Schedule">
      <h2 className="text-lg font-semibold">Schedule</h2>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("scheduleEnabled")} /> Run on a schedule
      </label>
      {enabled && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Cron expression"
            error={errors.scheduleCron?.message}
            hint="minute hour day month weekday, e.g. 0 9 * * 1-5 (a sixth field in front counts seconds)"
          >
            <Input spellCheck={false} placeholder="0 9 * * 1-5" {...register("scheduleCron")} />
          </Field>
          <Field label="Time zone" error={errors.scheduleTimezone?.message}>
            <Input list="flow-time-zones" spellCheck={false} {...register("scheduleTimezone")} />
          </Field>
          <datalist id="flow-time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <div className="sm:col-span-2" aria-live="polite">
            {cron ? <ScheduleCheckView cron={cron} timezone={timezone || "UTC"} hydrated={hydrated} /> : null}
          </div>
        </div>
      )}
    </section>
  );
}

type NumberSetting = "maxConcurrentRuns" | "runTimeoutSeconds" | "runRetries" | "retentionDays";

function Settings({ register, errors }: { register: UseFormRegister<FlowFormValues>; errors: FlowErrors }) {
  const num = (name: NumberSetting, label: string, hint?: string) => (
    <Field label={label} error={errors[name]?.message} hint={hint}>
      <Input type="number" {...register(name)} />
    </Field>
  );
  return (
    <details className="rounded-lg border border-zinc-200 bg-white p-4">
      <summary className="cursor-pointer text-lg font-semibold">Settings</summary>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...register("active")} /> Active (schedule and webhook start runs)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...register("webhookWaitForResult")} /> Webhook waits for the run and returns the last step’s response
        </label>
        {num("maxConcurrentRuns", "Runs at the same time", "More runs wait; schedule ticks are skipped while the flow is at this limit.")}
        {num("runTimeoutSeconds", "Time limit per run (seconds)")}
        {num("runRetries", "Retries when a worker dies", "0: such a run is marked failed.")}
        {num("retentionDays", "Keep runs for (days)")}
      </div>
    </details>
  );
}

function SlotDefaultPicker({
  control,
  setValue,
  index,
  connections,
  ...field
}: {
  control: FlowFormControl;
  setValue: UseFormSetValue<FlowFormValues>;
  index: number;
  connections: ConnectionOption[];
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}) {
  const value = useWatch({ control, name: `slots.${index}.defaultConnectionId` });
  return (
    <ConnectionPicker
      {...field}
      value={value ?? ""}
      onChange={(id) => setValue(`slots.${index}.defaultConnectionId`, id || null, { shouldDirty: true })}
      known={connections}
      noneLabel="No default: each run must choose"
    />
  );
}
