"use client";
import type { FieldValues, Path, UseFormRegister } from "react-hook-form";
import { ALERT_KIND_LABELS, ALERT_KINDS, type AlertKind } from "@/lib/alerts/events";

/** The alert kinds as checkboxes, registered on the form's `events` field. */
export function AlertKindsFieldset<F extends FieldValues & { events: string[] }>({
  register,
  error,
  legend = "Alerts",
  idPrefix,
  kinds = ALERT_KINDS,
}: {
  register: UseFormRegister<F>;
  error?: string;
  legend?: string;
  idPrefix: string;
  /** The kinds offered (a member's personal alerts leave out those naming what only admins see). */
  kinds?: readonly AlertKind[];
}) {
  return (
    <fieldset aria-describedby={error ? `${idPrefix}-events-error` : undefined}>
      <legend className="text-sm font-medium text-zinc-800">{legend}</legend>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {kinds.map((kind) => (
          <label key={kind} className="flex items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 text-sm">
            <input type="checkbox" value={kind} className="mt-1" {...register("events" as Path<F>)} />
            <span>{ALERT_KIND_LABELS[kind]}</span>
          </label>
        ))}
      </div>
      {error && (
        <p id={`${idPrefix}-events-error`} role="alert" className="mt-1 text-sm text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}
