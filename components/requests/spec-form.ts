"use client";
import { useFieldArray, useWatch } from "react-hook-form";
import type {
  Control,
  FieldArray,
  FieldArrayPath,
  FieldErrors,
  FieldPath,
  FieldPathByValue,
  FieldValues,
  Path,
  PathValue,
  UseFormRegister,
  UseFormSetValue,
} from "react-hook-form";
import type { RequestSpecInput } from "@/lib/http/spec";

/**
 * The request editor's pieces (key/value rows, body, options) edit a request spec wherever it sits in a
 * form: at `spec` in the request builder, at `steps.<i>.spec` in a flow step. They are generic over the
 * form's values `T` and take the spec's place as a path that react-hook-form checks leads to a
 * RequestSpecInput; field names below it are checked against RequestSpecInput.
 */
export type SpecPrefix<T extends FieldValues> = FieldPathByValue<T, RequestSpecInput>;

/** A form's handles for a spec editor; `TOut` is the form's values after its resolver (zod output). */
export type SpecForm<T extends FieldValues, TOut extends FieldValues = T> = {
  control: Control<T, unknown, TOut>;
  register: UseFormRegister<T>;
  setValue: UseFormSetValue<T>;
  prefix: SpecPrefix<T>;
  errors?: FieldErrors<RequestSpecInput>;
};

// The joins below are the one place paths are put together: `prefix` leads to a RequestSpecInput in T
// and `field` is a path inside one, so their join is a path of T, which the compiler cannot see through
// generic template types.

/** A spec field's path in the whole form. */
export function specPath<T extends FieldValues, P extends FieldPath<RequestSpecInput>>(prefix: SpecPrefix<T>, field: P): Path<T> {
  return `${prefix}.${field}` as Path<T>;
}

/**
 * Flow steps only: the expression (e.g. {{steps.download.file}}) a multipart file field takes its content
 * from. Step specs are templates checked on the server, and this key exists only there, not in RequestSpecInput.
 */
export function mappedFileSourcePath<T extends FieldValues>(prefix: SpecPrefix<T>, index: number): Path<T> {
  return `${prefix}.body.fields.${index}.source` as Path<T>;
}

/** A spec list's path in the whole form, for useFieldArray. */
export function specArrayPath<T extends FieldValues>(prefix: SpecPrefix<T>, field: FieldArrayPath<RequestSpecInput>): FieldArrayPath<T> {
  return `${prefix}.${field}` as FieldArrayPath<T>;
}

/** Sets a spec field to a value of that field's own type. */
export function setSpecValue<T extends FieldValues, P extends FieldPath<RequestSpecInput>>(
  form: Pick<SpecForm<T>, "setValue" | "prefix">,
  field: P,
  value: PathValue<RequestSpecInput, P>,
  options?: { shouldDirty?: boolean },
): void {
  form.setValue(specPath(form.prefix, field), value as PathValue<T, Path<T>>, options);
}

/** useFieldArray on a spec list, appending rows of that list's own type. */
export function useSpecFieldArray<T extends FieldValues, TOut extends FieldValues, F extends FieldArrayPath<RequestSpecInput>>(
  form: Pick<SpecForm<T, TOut>, "control" | "prefix">,
  field: F,
) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: specArrayPath(form.prefix, field) });
  return { fields, remove, append: (row: FieldArray<RequestSpecInput, F>) => append(row as FieldArray<T, FieldArrayPath<T>>) };
}

/** useWatch on a spec field, typed as that field of RequestSpecInput. */
export function useSpecWatch<T extends FieldValues, TOut extends FieldValues, P extends FieldPath<RequestSpecInput>>(
  form: Pick<SpecForm<T, TOut>, "control" | "prefix">,
  field: P,
): PathValue<RequestSpecInput, P> | undefined {
  return useWatch({ control: form.control, name: specPath<T, P>(form.prefix, field) }) as PathValue<RequestSpecInput, P> | undefined;
}
