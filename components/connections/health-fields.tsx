"use client";
import type { UseFormReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { ConnectionFormValues, ConnectionInput } from "@/lib/connections/schemas";
import { errorAt } from "./fields/key-value-field";

type Form = UseFormReturn<ConnectionFormValues, unknown, ConnectionInput>;

const CHECK_OPTIONS = [
  ["default", "Default (every day with a Test URL or a token, otherwise off)"],
  ["off", "Off"],
  ["hourly", "Every hour"],
  ["daily", "Every day"],
] as const;
const KEEP_ALIVE_OPTIONS = [
  ["daily", "Every day"],
  ["hourly", "Every hour"],
  ["off", "Off"],
] as const;

/** The connection form's health settings: the check schedule, the keep-alive of a refresh token, and Expires on. */
export function HealthFields({ form, holdsTokens }: { form: Form; holdsTokens: boolean }) {
  const errors = form.formState.errors;
  return (
    <fieldset className="space-y-4 rounded-md border border-zinc-200 p-3">
      <legend className="px-1 text-sm font-medium text-zinc-800">Health</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Check schedule"
          hint="A scheduled Verify; its result goes to the connection's history and Needs attention."
          error={errorAt(errors, "checkSchedule")}
        >
          <Select {...form.register("checkSchedule")}>
            {CHECK_OPTIONS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Expires on"
          hint="When the API key, password or client secret stops working (a client certificate's own date is read from it)."
          error={errorAt(errors, "expiresOn")}
        >
          <Input type="date" {...form.register("expiresOn")} />
        </Field>
      </div>
      {holdsTokens && (
        <Field
          label="Keep-alive"
          hint="For connections with a refresh token: uses it on this schedule, so providers that expire unused refresh tokens keep this connection working."
          error={errorAt(errors, "keepAlive")}
        >
          <Select {...form.register("keepAlive")}>
            {KEEP_ALIVE_OPTIONS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </fieldset>
  );
}
