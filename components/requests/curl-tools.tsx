"use client";
import { useState } from "react";
import { curlForRequestAction } from "@/app/(app)/requests/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import type { RequestSpec } from "@/lib/http/spec";
import type { RunRequestInput } from "@/lib/requests/schemas";

/** Paste a cURL command to fill the form. */
export function CurlImport({ onImport }: { onImport: (spec: RequestSpec) => void }) {
  const [open, setOpen] = useState(false);
  const [command, setCommand] = useState("");
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  if (!open) {
    return (
      <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(true)}>
        Import from cURL
      </Button>
    );
  }
  return (
    <div className="w-full space-y-2 rounded-md border border-zinc-200 p-3">
      <Field label="cURL command">
        <Textarea rows={4} value={command} onChange={(e) => setCommand(e.target.value)} placeholder="curl -X POST https://… -H '…' -d '…'" />
      </Field>
      <FormMessage error={message.error} success={message.success} />
      <div className="flex gap-2">
        <Button
          type="button"
          size="sm"
          onClick={async () => {
            // The parser checks with the request schema (zod): loaded on this click, not with the page.
            const { CurlParseError, parseCurlDetailed } = await import("@/lib/http/curl-parse");
            // The form is replaced only by a command that parsed; a refusal leaves it as it was, and says why.
            let parsed: ReturnType<typeof parseCurlDetailed>;
            try {
              parsed = parseCurlDetailed(command);
            } catch (error) {
              const reason = error instanceof CurlParseError ? error.message : "the command could not be read";
              return setMessage({ error: `Not imported: ${reason}. The form is unchanged.` });
            }
            onImport(parsed.spec);
            setMessage({ success: parsed.warnings.length ? `Imported. ${parsed.warnings.join(" ")}` : "Imported." });
          }}
        >
          Import
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={() => setOpen(false)}>
          Close
        </Button>
      </div>
    </div>
  );
}

/** The request as a cURL command, built on the server so the connection's credentials appear masked. */
export function CopyAsCurl({ getValues }: { getValues: () => RunRequestInput }) {
  const [command, setCommand] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        size="sm"
        onClick={async () => {
          setError(null);
          const result = await curlForRequestAction(getValues());
          if (!result.ok) return setError(result.error);
          setCommand(result.data);
          await navigator.clipboard?.writeText(result.data).catch(() => {});
        }}
      >
        Copy as cURL
      </Button>
      <FormMessage error={error} />
      {command && <Textarea readOnly rows={4} aria-label="cURL command to copy" value={command} />}
    </div>
  );
}
