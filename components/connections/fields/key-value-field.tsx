"use client";
import { get, useFieldArray, type FieldArrayPath, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A connection's key/value setting (extra parameters, token headers) as rows, like the request builder's. */
export function KeyValueField<V extends FieldValues>({
  form,
  name,
  label,
  hint,
  nameLabel,
  valueLabel,
  secret,
}: {
  form: UseFormReturn<V, unknown, FieldValues>;
  name: FieldArrayPath<V>;
  label: string;
  hint?: string;
  nameLabel: string;
  valueLabel: string;
  /** The values are secrets: password inputs, never autofilled. */
  secret?: boolean;
}) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name });
  const errors = form.formState.errors;
  // A row's paths: the array's path, its index and the row key (the row shape is { name, value }).
  const rowPath = (index: number, key: "name" | "value") => `${name}.${index}.${key}` as Path<V>;
  const addRow = () => append({ name: "", value: "" } as Parameters<typeof append>[0]);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-zinc-800">{label}</legend>
      {hint && <p className="text-xs text-zinc-500">{hint}</p>}
      {fields.length === 0 && <p className="text-xs text-zinc-500">None.</p>}
      {fields.map((field, index) => {
        const error = errorAt(errors, rowPath(index, "name")) ?? errorAt(errors, rowPath(index, "value"));
        return (
          <div key={field.id} className="space-y-1">
            <div className="flex items-center gap-2">
              <Input aria-label={`${nameLabel} ${index + 1}`} placeholder={nameLabel} spellCheck={false} {...form.register(rowPath(index, "name"))} />
              <Input
                aria-label={`${valueLabel} ${index + 1}`}
                placeholder={valueLabel}
                spellCheck={false}
                type={secret ? "password" : "text"}
                autoComplete={secret ? "new-password" : "off"}
                {...form.register(rowPath(index, "value"))}
              />
              <Button type="button" size="sm" variant="ghost" aria-label={`Remove ${label} row ${index + 1}`} onClick={() => remove(index)}>
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
      })}
      {errorAt(errors, name) && (
        <p role="alert" className="text-sm text-red-600">
          {errorAt(errors, name)}
        </p>
      )}
      <Button type="button" size="sm" variant="secondary" onClick={addRow}>
        Add row
      </Button>
    </fieldset>
  );
}

/** The message react-hook-form holds at a path, if any. */
export function errorAt(errors: object, path: string): string | undefined {
  const found: unknown = get(errors, path);
  const message = found && typeof found === "object" && "message" in found ? found.message : undefined;
  return typeof message === "string" ? message : undefined;
}
