"use client";
import type { FieldValues, UseFormRegisterReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { specPath, useSpecFieldArray, type SpecForm } from "./spec-form";

/** The spec's key/value lists: headers, query parameters, and a urlencoded body's fields. */
export type KeyValueList = "headers" | "query" | "body.fields";

export type KeyValueErrors = { [index: number]: { key?: { message?: string }; value?: { message?: string } } | undefined };

/** Editable key/value rows: add, remove, and disable without deleting. */
export function KeyValueRows<T extends FieldValues, TOut extends FieldValues = T>({
  label,
  list,
  form,
  errors,
}: {
  label: string;
  list: KeyValueList;
  form: SpecForm<T, TOut>;
  errors?: KeyValueErrors;
}) {
  const { fields, append, remove } = useSpecFieldArray(form, list);
  return (
    <KeyValueFieldset label={label} count={fields.length} onAdd={() => append({ key: "", value: "", enabled: true })}>
      {fields.map((field, index) => (
        <KeyValueRow
          key={field.id}
          label={label}
          index={index}
          onRemove={() => remove(index)}
          error={errors?.[index]?.key?.message ?? errors?.[index]?.value?.message}
          inputs={{
            enabled: form.register(specPath(form.prefix, `${list}.${index}.enabled`)),
            key: form.register(specPath(form.prefix, `${list}.${index}.key`)),
            value: form.register(specPath(form.prefix, `${list}.${index}.value`)),
          }}
        />
      ))}
    </KeyValueFieldset>
  );
}

function KeyValueFieldset({ label, count, onAdd, children }: { label: string; count: number; onAdd: () => void; children: React.ReactNode }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-zinc-800">{label}</legend>
      {count === 0 && <p className="text-xs text-zinc-500">None.</p>}
      {children}
      <Button type="button" size="sm" variant="secondary" onClick={onAdd}>
        Add {label.toLowerCase()} row
      </Button>
    </fieldset>
  );
}

function KeyValueRow({
  label,
  index,
  inputs,
  error,
  onRemove,
}: {
  label: string;
  index: number;
  inputs: { enabled: UseFormRegisterReturn; key: UseFormRegisterReturn; value: UseFormRegisterReturn };
  error?: string;
  onRemove: () => void;
}) {
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2">
        <input type="checkbox" aria-label={`${label} row ${index + 1} enabled`} {...inputs.enabled} />
        <Input aria-label={`${label} name ${index + 1}`} placeholder="Name" {...inputs.key} />
        <Input aria-label={`${label} value ${index + 1}`} placeholder="Value" {...inputs.value} />
        <Button type="button" size="sm" variant="ghost" aria-label={`Remove ${label} row ${index + 1}`} onClick={onRemove}>
          ✕
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
