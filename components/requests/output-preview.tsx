"use client";
import type { FieldValues } from "react-hook-form";
import { responseOutput, type PassedOnResponse } from "@/lib/http/response-output";
import { useSpecWatch, type SpecForm } from "./spec-form";
import { CodeBlock } from "@/components/ui/code-block";

/** The response the preview shapes: small enough to read, with a header to show where headers go. */
const EXAMPLE_RESPONSE: PassedOnResponse = {
  status: 200,
  statusText: "OK",
  headers: { "content-type": "application/json" },
  body: { id: 42, name: "Ada" },
};

/**
 * What Include full response changes, shown rather than told: the result a run passes on for an example
 * response, shaped by the executor's own rule (responseOutput) as the checkbox now stands.
 */
export function OutputPreview<T extends FieldValues, TOut extends FieldValues = T>({ form, note }: { form: SpecForm<T, TOut>; note?: string }) {
  const full = useSpecWatch(form, "includeFullResponse") === true;
  return (
    <figure className="mt-3 rounded-md border border-zinc-200 bg-zinc-50 p-3 text-sm" data-testid="output-preview">
      <figcaption>
        <span className="font-medium">For a 200 OK JSON response, a run passes on {full ? "the whole response" : "the body only"}:</span>
        <span className="block text-xs text-zinc-600">
          Include full response passes on {"{status, statusText, headers, body}"} instead of the body alone (paginating with every page: one entry per
          page). {note}
        </span>
      </figcaption>
      <CodeBlock label="Output preview" className="mt-2 max-h-48 overflow-auto font-mono text-xs" data-testid="output-preview-value">
        {JSON.stringify(responseOutput(full, EXAMPLE_RESPONSE), null, 2)}
      </CodeBlock>
    </figure>
  );
}
