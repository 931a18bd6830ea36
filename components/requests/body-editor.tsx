"use client";
import { useFieldArray, useWatch, type Control, type FieldValues, type UseFormRegister, type UseFormSetValue } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { KeyValueRows } from "./key-value-rows";

type Props = {
  control: Control<FieldValues>;
  register: UseFormRegister<FieldValues>;
  setValue: UseFormSetValue<FieldValues>;
  errors?: Record<string, { message?: string } | undefined>;
  /** Where the spec sits in the form: "spec" in the request builder, "steps.0.spec" in a flow step. */
  prefix?: string;
  /** Flow steps: a file field may take its content from an expression such as {{steps.download.file}}. */
  mappedFiles?: boolean;
};

type FieldErrors = Array<Record<string, { message?: string } | undefined> | undefined> | undefined;

export function BodyEditor({ control, register, setValue, errors, prefix = "spec", mappedFiles }: Props) {
  const body = `${prefix}.body`;
  const type = useWatch({ control, name: `${body}.type` }) as string;
  const contentType = useWatch({ control, name: `${body}.contentType` }) as string | undefined;
  const fieldErrors = (errors as { fields?: FieldErrors } | undefined)?.fields;
  return (
    <div className="space-y-3">
      <Field label="Body type">
        <Select
          value={type}
          onChange={(e) => {
            const next = e.target.value;
            const fresh =
              next === "raw" ? { type: "raw", contentType: "json", text: "" } : next === "none" ? { type: "none" } : { type: next, fields: [] };
            setValue(body, fresh, { shouldDirty: true });
          }}
        >
          <option value="none">None</option>
          <option value="raw">Raw</option>
          <option value="urlencoded">Form urlencoded</option>
          <option value="multipart">Multipart form data</option>
        </Select>
      </Field>
      {type === "raw" && (
        <>
          <Field label="Content type">
            <Select {...register(`${body}.contentType`)}>
              <option value="json">JSON</option>
              <option value="text">Text</option>
              <option value="xml">XML</option>
              <option value="html">HTML</option>
              <option value="custom">Custom</option>
            </Select>
          </Field>
          {contentType === "custom" && (
            <Field label="Custom content type" error={errors?.customContentType?.message}>
              <Input placeholder="application/vnd.api+json" {...register(`${body}.customContentType`)} />
            </Field>
          )}
          <Field label="Body" error={errors?.text?.message}>
            <Textarea rows={8} spellCheck={false} {...register(`${body}.text`)} />
          </Field>
        </>
      )}
      {type === "urlencoded" && <KeyValueRows label="Form fields" name={`${body}.fields`} control={control} register={register} errors={fieldErrors as never} />}
      {type === "multipart" && <MultipartFields control={control} register={register} setValue={setValue} prefix={prefix} mappedFiles={mappedFiles} errors={fieldErrors} />}
    </div>
  );
}

function MultipartFields({
  control,
  register,
  setValue,
  prefix,
  mappedFiles,
  errors,
}: Omit<Props, "errors"> & { prefix: string; errors?: FieldErrors }) {
  const name = `${prefix}.body.fields`;
  const { fields, append, remove } = useFieldArray({ control, name });
  const values = useWatch({ control, name }) as Array<{ type: string; fileName?: string; base64?: string }> | undefined;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Multipart fields</legend>
      {fields.map((field, index) => {
        const current = values?.[index];
        return (
          <div key={field.id} className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <Input className="w-40" aria-label={`Multipart field name ${index + 1}`} placeholder="Name" {...register(`${name}.${index}.name`)} />
            {current?.type === "file" ? (
              <>
                <input
                  type="file"
                  aria-label={`Multipart file ${index + 1}`}
                  className="text-sm"
                  onChange={async (e) => {
                    const file = e.target.files?.[0];
                    if (!file) return;
                    const base64 = await fileToBase64(file);
                    setValue(`${name}.${index}`, {
                      type: "file",
                      name: (values?.[index] as { name?: string })?.name ?? "file",
                      fileName: file.name,
                      contentType: file.type || "application/octet-stream",
                      base64,
                    });
                  }}
                />
                {current.fileName && !mappedFiles && <span className="text-xs text-zinc-600">{current.fileName}</span>}
                {mappedFiles && (
                  <>
                    <Input className="w-40" aria-label={`Multipart file name ${index + 1}`} placeholder="File name" {...register(`${name}.${index}.fileName`)} />
                    <Input
                      className="flex-1"
                      aria-label={`Multipart file from ${index + 1}`}
                      placeholder="or map: {{steps.download.file}}"
                      spellCheck={false}
                      {...register(`${name}.${index}.source`)}
                    />
                  </>
                )}
              </>
            ) : (
              <Input className="flex-1" aria-label={`Multipart value ${index + 1}`} placeholder="Value" {...register(`${name}.${index}.value`)} />
            )}
            <Button type="button" size="sm" variant="ghost" aria-label={`Remove multipart field ${index + 1}`} onClick={() => remove(index)}>
              ✕
            </Button>
          </div>
          {Object.values(errors?.[index] ?? {}).find((e) => e?.message) && (
            <p role="alert" className="text-sm text-red-600">
              {Object.values(errors?.[index] ?? {}).find((e) => e?.message)?.message}
            </p>
          )}
          </div>
        );
      })}
      <div className="flex gap-2">
        <Button type="button" size="sm" variant="secondary" onClick={() => append({ type: "text", name: "", value: "" })}>
          Add text field
        </Button>
        <Button
          type="button"
          size="sm"
          variant="secondary"
          onClick={() => append({ type: "file", name: "file", fileName: "", contentType: "application/octet-stream" })}
        >
          Add file field
        </Button>
      </div>
    </fieldset>
  );
}

async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
