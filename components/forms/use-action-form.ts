"use client";
import { useEffect, useState, useTransition } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type Resolver } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/auth/action-result";

/** The form's schema, or a loader of it: `() => import("@/lib/x/schemas").then((m) => m.xSchema)`. */
export type SchemaSource<S> = S | (() => Promise<S>);

/**
 * react-hook-form wired to a server action with the same zod schema on both sides: client errors show
 * before the round trip, server errors land next to their fields, and the values stay on failure.
 * A schema given as a loader keeps zod out of the page's first load (issue 13's JS budget): it is fetched
 * when the user first focuses or touches the page, and the resolver awaits it on the first validation.
 */
export function useActionForm<S extends z.ZodType<FieldValues, FieldValues>, T>(options: {
  schema: SchemaSource<S>;
  action: (input: z.input<S>) => Promise<ActionResult<T>>;
  defaultValues?: DefaultValues<z.input<S>>;
  onSuccess?: (data: T, message?: string) => void;
}) {
  const resolver = useLazyZodResolver(options.schema);
  const form = useForm<z.input<S>, unknown, z.output<S>>({ resolver, defaultValues: options.defaultValues });
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

/**
 * A react-hook-form resolver for a zod schema (or a loader of it) that keeps zod out of the first load:
 * the schema and zodResolver are fetched on the first focus, pointer or key press in the document, and
 * the first validation awaits them. For forms that need `useForm` themselves (the request builder, the
 * flow editor); `useActionForm` uses it too.
 */
export function useLazyZodResolver<S extends z.ZodType<FieldValues, FieldValues>>(schema: SchemaSource<S>) {
  const [resolver] = useState(() => lazyZodResolver(schema));
  useEffect(() => {
    const preload = () => void resolver.load();
    for (const event of PRELOAD_EVENTS) document.addEventListener(event, preload, { once: true, capture: true });
    return () => {
      for (const event of PRELOAD_EVENTS) document.removeEventListener(event, preload, { capture: true });
    };
  }, [resolver]);
  // zodResolver's own typing maps the schema's input and output the same way.
  return resolver.resolve as unknown as Resolver<z.input<S>, unknown, z.output<S>>;
}

const PRELOAD_EVENTS = ["focusin", "pointerdown", "keydown"] as const;

/** zodResolver (itself loaded on demand: it brings zod's core) over a schema that may still have to be loaded; loads them once. */
function lazyZodResolver<S extends z.ZodType<FieldValues, FieldValues>>(source: SchemaSource<S>) {
  let loading: Promise<Resolver<FieldValues>> | undefined;
  const load = () =>
    (loading ??= Promise.all([import("@hookform/resolvers/zod"), typeof source === "function" ? source() : source]).then(
      ([{ zodResolver }, schema]) => zodResolver(schema) as unknown as Resolver<FieldValues>,
      (error: unknown) => {
        loading = undefined; // a failed chunk load is tried again on the next validation
        throw error;
      },
    ));
  const resolve: Resolver<FieldValues> = async (values, context, options) => (await load())(values, context, options);
  return { load, resolve };
}
