"use client";
import { useId, useState } from "react";
import type { FieldValues, Path, PathValue, UseFormRegister, UseFormSetValue } from "react-hook-form";
import { Textarea } from "@/components/ui/input";

/** Largest file read into a field (a PEM chain or a PKCS#12 bundle is a few KB). */
const MAX_FILE_BYTES = 48 * 1024;

/**
 * A textarea that also takes a file: PEM text as is, binary bundles (PKCS#12) as base64. The value only
 * ever lives in the form and the server action, like a typed secret.
 */
export function FileTextField<V extends FieldValues>({
  form,
  name,
  accept,
  encoding,
  label,
  placeholder,
  id,
  "aria-invalid": invalid,
  "aria-describedby": describedBy,
}: {
  /** The form's handles (a whole useForm result, or a spec editor's SpecForm). */
  form: { register: UseFormRegister<V>; setValue: UseFormSetValue<V> };
  name: Path<V>;
  accept: string;
  encoding: "text" | "base64";
  label: string;
  placeholder?: string;
  // Set by the enclosing <Field> (cloneElement): they belong on the textarea, so its label names it.
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}) {
  const fileInputId = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const load = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setFileError(`${file.name} is larger than ${MAX_FILE_BYTES / 1024} KB; is it the right file?`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const value = encoding === "text" ? new TextDecoder().decode(bytes) : btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
    form.setValue(name, value as PathValue<V, Path<V>>, { shouldDirty: true, shouldValidate: true });
  };
  return (
    <div className="space-y-1">
      <Textarea
        id={id}
        rows={4}
        spellCheck={false}
        placeholder={placeholder}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        {...form.register(name)}
      />
      <label htmlFor={fileInputId} className="inline-flex cursor-pointer items-center gap-2 text-xs text-indigo-700 underline">
        Load {label.toLowerCase()} from a file
        <input id={fileInputId} type="file" accept={accept} className="sr-only" onChange={(e) => void load(e.currentTarget.files?.[0])} />
      </label>
      {fileError && (
        <p role="alert" className="text-sm text-red-600">
          {fileError}
        </p>
      )}
    </div>
  );
}
