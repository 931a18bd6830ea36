"use client";
import { useTransition } from "react";
import { saveMcpToolAction, suggestMcpToolAction } from "@/app/(app)/team/mcp/actions";
import { HydratedForm } from "@/components/forms/hydrated-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";

export type ToolTargetOption = { value: string; label: string };

const EMPTY = { target: "", name: "", description: "", consentText: "", inputSchema: "" };

/** Offers a saved request or flow as an MCP tool: pick it, generate the definition, adjust, save. */
export function McpToolForm({ requests, flows }: { requests: ToolTargetOption[]; flows: ToolTargetOption[] }) {
  const { form, onSubmit, pending, formError, setFormError } = useActionForm({
    schema: () => import("@/lib/mcp/schemas").then((m) => m.mcpToolSchema),
    action: saveMcpToolAction,
    defaultValues: EMPTY,
    onSuccess: () => form.reset(EMPTY),
  });
  const [generating, startGenerating] = useTransition();
  const { errors } = form.formState;

  const generate = () => {
    const target = form.getValues("target");
    if (!target) return form.setError("target", { message: "Choose a saved request or a flow." });
    startGenerating(async () => {
      const result = await suggestMcpToolAction({ target });
      if (!result.ok) return setFormError(result.error);
      form.setValue("name", result.data.name);
      form.setValue("description", result.data.description);
      form.setValue("consentText", result.data.consentText);
      form.setValue("inputSchema", result.data.inputSchema);
    });
  };

  return (
    // busy while generating: the definition replaces the fields, so typing meanwhile would be overwritten (the CI
    // run caught a description lost that way).
    <HydratedForm onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Offer as a tool" busy={generating}>
      <FormMessage error={formError} />
      <div className="flex items-end gap-3">
        <div className="grow">
          <Field label="Saved request or flow" error={errors.target?.message}>
            <Select {...form.register("target")}>
              <option value="">Choose…</option>
              <optgroup label="Saved requests">
                {requests.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Flows">
                {flows.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </optgroup>
            </Select>
          </Field>
        </div>
        <Button type="button" variant="secondary" onClick={generate} pending={generating}>
          Generate definition
        </Button>
      </div>
      <Field label="Tool name" hint="What the agent calls: letters, digits, _ and -." error={errors.name?.message}>
        <Input {...form.register("name")} autoComplete="off" />
      </Field>
      <Field
        label="Description for the model"
        hint="What the tool does and when to use it; the agent reads this."
        error={errors.description?.message}
      >
        <Textarea rows={3} className="font-sans" {...form.register("description")} />
      </Field>
      <Field
        label="Consent wording"
        hint="For people: what the consent screen says this tool does when an agent asks to call the team's tools."
        error={errors.consentText?.message}
      >
        <Input {...form.register("consentText")} autoComplete="off" />
      </Field>
      <Field
        label="Input schema"
        hint="JSON Schema of the arguments, generated from the {{input.…}} the request or flow reads. Calls that do not match are refused."
        error={errors.inputSchema?.message}
      >
        <Textarea rows={8} {...form.register("inputSchema")} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Save tool
        </Button>
      </div>
    </HydratedForm>
  );
}
