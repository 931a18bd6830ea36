"use client";
import type { UseFormReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { AccountInput } from "@/lib/auth/schemas";

/** Name, Email and Password for a new account (setup and invitation sign-up). */
export function AccountFields<T extends AccountInput>({ form }: { form: UseFormReturn<T> }) {
  const f = form as unknown as UseFormReturn<AccountInput>;
  const { errors } = f.formState;
  return (
    <>
      <Field label="Name" error={errors.name?.message}>
        <Input autoComplete="name" {...f.register("name")} />
      </Field>
      <Field label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="email" {...f.register("email")} />
      </Field>
      <Field label="Password" error={errors.password?.message} hint="At least 10 characters.">
        <Input type="password" autoComplete="new-password" {...f.register("password")} />
      </Field>
    </>
  );
}
