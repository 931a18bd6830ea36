"use client";
import type { FieldValues } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { RequestBody } from "@/lib/http/spec";
import { KeyValueRows, type KeyValueErrors } from "./key-value-rows";
import { mappedFileSourcePath, setSpecValue, specPath, useSpecFieldArray, useSpecWatch, type SpecForm } from "./spec-form";

type Props<T extends FieldValues, TOut extends FieldValues> = {
  form: SpecForm<T, TOut>;
  /** Flow steps: a file field may take its content from an expression such as {{steps.download.file}}. */
  mappedFiles?: boolean;
};

type Message = { message?: string } | undefined;
/** The body's errors: its members differ by type, so each is read as an optional message. */
type BodyErrors = { customContentType?: Message; text?: Message; fields?: Array<Record<string, Message> | undefined> };

export function BodyEditor<T extends FieldValues, TOut extends FieldValues = T>({ form, mappedFiles }: Props<T, TOut>) {
  const { register } = form;
  const type = useSpecWatch(form, "body.type");
  const contentType = useSpecWatch(form, "body.contentType");
  const errors = form.errors?.body as BodyErrors | undefined;
  const fieldErrors = errors?.fields;
  return (
    <div className="space-y-3">
      <Field label="Body type">
        <Select
          value={type}
          onChange={(e) => {
            const next = e.target.value as RequestBody["type"];
            const fresh: RequestBody =
              next === "raw" ? { type: "raw", contentType: "json", text: "" } : next === "none" ? { type: "none" } : { type: next, fields: [] };
            setSpecValue(form, "body", fresh, { shouldDirty: true });
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
            <Select {...register(specPath(form.prefix, "body.contentType"))}>
              <option value="json">JSON</option>
              <option value="text">Text</option>
              <option value="xml">XML</option>
              <option value="html">HTML</option>
              <option value="custom">Custom</option>
            </Select>
          </Field>
          {contentType === "custom" && (
            <Field label="Custom content type" error={errors?.customContentType?.message}>
              <Input placeholder="application/vnd.api+json" {...register(specPath(form.prefix, "body.customContentType"))} />
            </Field>
          )}
          <Field label="Body" error={errors?.text?.message}>
            <Textarea rows={8} spellCheck={false} {...register(specPath(form.prefix, "body.text"))} />
          </Field>
        </>
      )}
      {type === "urlencoded" && (
        <KeyValueRows label="Form fields" list="body.fields" form={form} errors={fieldErrors as KeyValueErrors | undefined} />
      )}
      {type === "multipart" && <MultipartFields form={form} mappedFiles={mappedFiles} errors={fieldErrors} />}
    </div>
  );
}

function MultipartFields<T extends FieldValues, TOut extends FieldValues>({
  form,
  mappedFiles,
  errors,
}: Props<T, TOut> & { errors?: BodyErrors["fields"] }) {
  const { register } = form;
  const { fields, append, remove } = useSpecFieldArray(form, "body.fields");
  const values = useSpecWatch(form, "body.fields");
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Multipart fields</legend>
      {fields.map((field, index) => {
        const row = values?.[index];
        // Only multipart rows live here; the list's type also allows a urlencoded body's key/value rows.
        const current = row && "type" in row ? row : undefined;
        return (
          <div key={field.id} className="space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <Input
                className="w-40"
                aria-label={`Multipart field name ${index + 1}`}
                placeholder="Name"
                {...register(specPath(form.prefix, `body.fields.${index}.name`))}
              />
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
                      setSpecValue(form, `body.fields.${index}`, {
                        type: "file",
                        name: current?.name ?? "file",
                        fileName: file.name,
                        contentType: file.type || "application/octet-stream",
                        base64,
                      });
                    }}
                  />
                  {current.fileName && !mappedFiles && <span className="text-xs text-zinc-600">{current.fileName}</span>}
                  {mappedFiles && (
                    <>
                      <Input
                        className="w-40"
                        aria-label={`Multipart file name ${index + 1}`}
                        placeholder="File name"
                        {...register(specPath(form.prefix, `body.fields.${index}.fileName`))}
                      />
                      <Input
                        className="flex-1"
                        aria-label={`Multipart file from ${index + 1}`}
                        placeholder="or map: {{steps.download.file}}"
                        spellCheck={false}
                        {...register(mappedFileSourcePath(form.prefix, index))}
                      />
                    </>
                  )}
                </>
              ) : (
                <Input
                  className="flex-1"
                  aria-label={`Multipart value ${index + 1}`}
                  placeholder="Value"
                  {...register(specPath(form.prefix, `body.fields.${index}.value`))}
                />
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
