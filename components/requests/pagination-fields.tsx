"use client";
import { useWatch, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import type { runRequestSchema, RunRequestInput } from "@/lib/requests/schemas";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";

type Errors = FieldErrors<RunRequestInput>["pagination"];

const optionalNumber = { setValueAs: (v: unknown) => (v === "" || v === null || v === undefined ? undefined : Number(v)) };
const optionalText = { setValueAs: (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v) };

/** Pagination options: how the next page is found, when to stop, and what the result holds. */
export function PaginationFields({
  control,
  register,
  errors,
}: {
  control: Control<RunRequestInput, unknown, z.output<typeof runRequestSchema>>;
  register: UseFormRegister<RunRequestInput>;
  errors: Errors;
}) {
  const mode = useWatch({ control, name: "pagination.mode" });
  const usesParam = mode === "pageParam" || mode === "offsetParam" || mode === "cursorParam";
  return (
    <details className="rounded-md border border-zinc-200 p-3" open={mode !== "off" || undefined}>
      <summary className="cursor-pointer text-sm font-medium">Pagination</summary>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <Field label="Pagination">
          <Select {...register("pagination.mode")}>
            <option value="off">Off</option>
            <option value="nextUrlFromBody">Next page URL in the body</option>
            <option value="linkHeader">Link header (rel=next)</option>
            <option value="pageParam">Page number parameter</option>
            <option value="offsetParam">Offset parameter</option>
            <option value="cursorParam">Cursor parameter</option>
          </Select>
        </Field>
        {mode !== "off" && (
          <>
            {mode === "nextUrlFromBody" && (
              <Field label="Next URL path" error={errors?.nextUrlPath?.message} hint="Where the next page's URL is, like links.next">
                <Input {...register("pagination.nextUrlPath", optionalText)} />
              </Field>
            )}
            {usesParam && (
              <Field label="Parameter name" error={errors?.param?.message}>
                <Input {...register("pagination.param", optionalText)} />
              </Field>
            )}
            {(mode === "pageParam" || mode === "offsetParam") && (
              <>
                <Field label="Start" error={errors?.start?.message}>
                  <Input type="number" {...register("pagination.start", optionalNumber)} />
                </Field>
                <Field label="Increment" error={errors?.increment?.message}>
                  <Input type="number" {...register("pagination.increment", optionalNumber)} />
                </Field>
              </>
            )}
            {mode === "cursorParam" && (
              <Field label="Cursor path" error={errors?.cursorPath?.message} hint="Where the next cursor is, like meta.next_cursor">
                <Input {...register("pagination.cursorPath", optionalText)} />
              </Field>
            )}
            <Field label="Items path" error={errors?.itemsPath?.message} hint="Where each page's items are; an empty list stops paging.">
              <Input {...register("pagination.itemsPath", optionalText)} />
            </Field>
            <Field label="Max pages" error={errors?.maxPages?.message}>
              <Input type="number" {...register("pagination.maxPages", { valueAsNumber: true })} />
            </Field>
            <Field label="Stop when" error={errors?.stopWhen?.message} hint="e.g. $.meta.has_more == false">
              <Input {...register("pagination.stopWhen", optionalText)} />
            </Field>
            <Field label="Result">
              <Select {...register("pagination.output")}>
                <option value="pages">Every page</option>
                <option value="items">All items in one list</option>
              </Select>
            </Field>
          </>
        )}
      </div>
    </details>
  );
}
