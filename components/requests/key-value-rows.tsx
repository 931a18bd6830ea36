"use client";
import { useFieldArray, type Control, type FieldValues, type UseFormRegister } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** Editable key/value rows (headers, query, form fields): add, remove, and disable without deleting. */
export function KeyValueRows({
  label,
  name,
  control,
  register,
  errors,
}: {
  label: string;
  name: string;
  control: Control<FieldValues>;
  register: UseFormRegister<FieldValues>;
  errors?: Array<{ key?: { message?: string }; value?: { message?: string } } | undefined>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name });
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-zinc-800">{label}</legend>
      {fields.length === 0 && <p className="text-xs text-zinc-500">None.</p>}
      {fields.map((field, index) => (
        <div key={field.id} className="space-y-1">
          <div className="flex items-center gap-2">
            <input type="checkbox" aria-label={`${label} row ${index + 1} enabled`} {...register(`${name}.${index}.enabled`)} />
            <Input aria-label={`${label} name ${index + 1}`} placeholder="Name" {...register(`${name}.${index}.key`)} />
            <Input aria-label={`${label} value ${index + 1}`} placeholder="Value" {...register(`${name}.${index}.value`)} />
            <Button type="button" size="sm" variant="ghost" aria-label={`Remove ${label} row ${index + 1}`} onClick={() => remove(index)}>
              ✕
            </Button>
          </div>
          {(errors?.[index]?.key?.message || errors?.[index]?.value?.message) && (
            <p role="alert" className="text-sm text-red-600">
              {errors?.[index]?.key?.message ?? errors?.[index]?.value?.message}
            </p>
          )}
        </div>
      ))}
      <Button type="button" size="sm" variant="secondary" onClick={() => append({ key: "", value: "", enabled: true })}>
        Add {label.toLowerCase()} row
      </Button>
    </fieldset>
  );
}
