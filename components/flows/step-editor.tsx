"use client";
import { ConnectionPicker } from "@/components/connections/connection-picker";
import type { ReactNode } from "react";
import { useWatch, type Control, type FieldErrors, type UseFormRegister, type UseFormSetValue } from "react-hook-form";
import { BodyEditor } from "@/components/requests/body-editor";
import { KeyValueRows } from "@/components/requests/key-value-rows";
import { Options } from "@/components/requests/request-options";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { SpecForm } from "@/components/requests/spec-form";
import type { FlowDefinition, FlowDefinitionInput } from "@/lib/flows/model";
import { HTTP_METHODS } from "@/lib/http/methods";
import type { RequestSpecInput } from "@/lib/http/spec";

export type ConnectionOption = { id: string; name: string; type: string };

// A step's connection value: "connection:<id>", "slot:<name>" or "" (see lib/flows/model.ts).
const toStepConnection = (connectionId: string) => `connection:${connectionId}`;
const stepConnectionId = (value: string) => /^connection:([0-9a-f-]{36})$/i.exec(value)?.[1] ?? null;

/**
 * The flow editor's values: the flow definition, with each step's spec edited as a request (the schema
 * keeps step specs open, as templates the server checks; the form fills them from the request builder's).
 */
export type FlowFormValues = Omit<FlowDefinitionInput, "steps"> & {
  steps: Array<Omit<FlowDefinitionInput["steps"][number], "spec"> & { spec: RequestSpecInput }>;
};
export type FlowFormControl = Control<FlowFormValues, unknown, FlowDefinition>;
export type StepErrors = NonNullable<FieldErrors<FlowFormValues>["steps"]>[number];

/**
 * One step of a flow: a name later steps refer to, the connection (fixed or a slot), what happens on error,
 * and the request itself, edited with the request builder's own pieces under `steps.<i>.spec`.
 */
export function StepEditor({
  index,
  count,
  control,
  register,
  setValue,
  errors,
  connections,
  suggestions,
  onMove,
  onRemove,
  connectionAction,
}: {
  index: number;
  count: number;
  control: FlowFormControl;
  register: UseFormRegister<FlowFormValues>;
  setValue: UseFormSetValue<FlowFormValues>;
  errors?: StepErrors;
  connections: ConnectionOption[];
  /** Mapping paths this step can use, from the last run's data. */
  suggestions: string[];
  onMove: (to: number) => void;
  onRemove: () => void;
  /** Shown under the step's pickers ("New connection…"). */
  connectionAction?: ReactNode;
}) {
  const slots = useWatch({ control, name: "slots" }) ?? [];
  const name = useWatch({ control, name: `steps.${index}.name` });
  const connection = useWatch({ control, name: `steps.${index}.connection` });
  const spec = errors?.spec;
  const specForm: SpecForm<FlowFormValues, FlowDefinition> = { control, register, setValue, prefix: `steps.${index}.spec`, errors: spec };
  return (
    <fieldset className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4" aria-label={`Step ${index + 1}`} data-testid={`step-${index}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <legend className="text-base font-semibold">
          Step {index + 1}
          {name ? <span className="ml-2 font-mono text-sm text-zinc-500">steps.{name}</span> : null}
        </legend>
        <div className="flex gap-1">
          <Button
            type="button"
            size="sm"
            variant="ghost"
            disabled={index === 0}
            onClick={() => onMove(index - 1)}
            aria-label={`Move step ${index + 1} up`}
          >
            ↑
          </Button>
          <Button
            type="button"
            size="sm"
            variant="ghost"
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
            aria-label={`Move step ${index + 1} down`}
          >
            ↓
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove step ${index + 1}`}>
            Remove
          </Button>
        </div>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Step name" error={errors?.name?.message} hint="Later steps use {{steps.<name>.body}}.">
          <Input spellCheck={false} {...register(`steps.${index}.name`)} />
        </Field>
        <Field label="Connection" error={errors?.connection?.message}>
          <ConnectionPicker
            value={connection ?? ""}
            onChange={(v) => setValue(`steps.${index}.connection`, v, { shouldDirty: true })}
            known={connections}
            extraItems={slots.filter((s) => s.name).map((s) => ({ value: `slot:${s.name}`, label: `Slot: ${s.name}` }))}
            toValue={toStepConnection}
            toConnectionId={stepConnectionId}
          />
        </Field>
        <Field label="On error">
          <Select {...register(`steps.${index}.onError`)}>
            <option value="stop">Stop the flow</option>
            <option value="continue">Continue with the next step</option>
          </Select>
        </Field>
        {connectionAction && <div className="-mt-2 sm:col-start-2">{connectionAction}</div>}
      </div>
      <div className="grid grid-cols-[8rem_1fr] gap-3">
        <Field label="Method">
          <Select {...register(`steps.${index}.spec.method`)}>
            {HTTP_METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </Select>
        </Field>
        <Field label="URL" error={spec?.url?.message}>
          <Input placeholder="https://api.example.com/users/{{input.userId}}" spellCheck={false} {...register(`steps.${index}.spec.url`)} />
        </Field>
      </div>
      <KeyValueRows label="Headers" list="headers" form={specForm} errors={spec?.headers} />
      <KeyValueRows label="Query String" list="query" form={specForm} errors={spec?.query} />
      <BodyEditor form={specForm} mappedFiles />
      <Options
        form={specForm}
        outputNote={`In a flow step it changes nothing: later steps read {{steps.${name || "<name>"}.body}}, .status and .headers either way.`}
      />
      {suggestions.length > 0 && (
        <details className="rounded-md border border-zinc-200 p-3 text-sm">
          <summary className="cursor-pointer font-medium">Values to map: variables and the last run ({suggestions.length})</summary>
          <p className="mt-2 text-xs text-zinc-500">Click one to copy it, then paste it into a field.</p>
          <ul className="mt-2 flex flex-wrap gap-1">
            {suggestions.map((path) => (
              <li key={path}>
                <button
                  type="button"
                  className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs hover:bg-indigo-100"
                  onClick={() => navigator.clipboard?.writeText(path).catch(() => {})}
                >
                  {path}
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </fieldset>
  );
}
