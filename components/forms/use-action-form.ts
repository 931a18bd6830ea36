"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type Resolver } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/auth/action-result";

/**
 * react-hook-form wired to a server action with the same zod schema on both sides: client errors show
 * before the round trip, server errors land next to their fields, and the values stay on failure.
 */
export function useActionForm<S extends z.ZodType<FieldValues, FieldValues>, T>(options: {
  schema: S;
  action: (input: z.input<S>) => Promise<ActionResult<T>>;
  defaultValues?: DefaultValues<z.input<S>>;
  onSuccess?: (data: T, message?: string) => void;
}) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(options.schema) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    defaultValues: options.defaultValues,
  });
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    startTransition(async () => {
      let result: ActionResult<T>;
      try {
        result = await options.action(values as z.input<S>);
      } catch {
        setFormError("Could not reach the server. Check your connection and try again.");
        return;
      }
      if (result.ok) {
        options.onSuccess?.(result.data, result.message);
        return;
      }
      setFormError(result.error);
      for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
        form.setError(field as Path<z.input<S>>, { type: "server", message });
      }
    });
  });

  return { form, onSubmit, pending, formError, setFormError };
}
