"use client";
import { ConnectionPicker } from "@/components/connections/connection-picker";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { rerunFlowAction, runFlowAction } from "@/app/(app)/flows/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import type { ConnectionOption } from "./step-editor";
import { HydratedFieldset } from "@/components/forms/hydrated-form";

/** Run now: the input (JSON) and which connection fills each slot; opens the run page when queued. */
export function RunNow({
  flowId,
  sampleInput,
  slots,
  connections,
}: {
  flowId: string;
  sampleInput: string;
  slots: Array<{ name: string; defaultConnectionId: string | null }>;
  connections: ConnectionOption[];
}) {
  const router = useRouter();
  const [input, setInput] = useState(sampleInput);
  const [chosen, setChosen] = useState<Record<string, string>>(() => Object.fromEntries(slots.map((s) => [s.name, s.defaultConnectionId ?? ""])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      setError(null);
      setErrors({});
      const slotConnections = Object.fromEntries(Object.entries(chosen).filter(([, id]) => id));
      const result = await runFlowAction({ flowId, input, slotConnections }).catch(() => null);
      if (!result) return setError("Could not reach the server. Try again.");
      if (!result.ok) {
        setError(result.error);
        setErrors(result.fieldErrors ?? {});
        return;
      }
      router.push(`/flows/runs/${result.data.runId}`);
    });
  return (
    <HydratedFieldset className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4" aria-label="Run now">
      <h2 className="text-lg font-semibold">Run now</h2>
      <Field label="Run input (JSON)" error={errors.input}>
        <Textarea rows={4} spellCheck={false} value={input} onChange={(e) => setInput(e.target.value)} />
      </Field>
      {slots.map((slot) => (
        <Field key={slot.name} label={`Connection for “${slot.name}”`} error={errors[`slotConnections.${slot.name}`]}>
          <ConnectionPicker
            value={chosen[slot.name] ?? ""}
            onChange={(id) => setChosen({ ...chosen, [slot.name]: id })}
            known={connections}
            noneLabel="Choose a connection…"
          />
        </Field>
      ))}
      <Button type="button" onClick={run} pending={pending}>
        Run now
      </Button>
      <FormMessage error={error} />
    </HydratedFieldset>
  );
}

export function RerunButton({ runId }: { runId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        type="button"
        variant="secondary"
        size="sm"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await rerunFlowAction({ runId }).catch(() => null);
            if (result?.ok) router.push(`/flows/runs/${result.data.runId}`);
            else setError(result?.error ?? "Could not reach the server. Try again.");
          })
        }
      >
        Run again with the same input
      </Button>
      <FormMessage error={error} />
    </span>
  );
}
