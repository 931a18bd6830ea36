import { z } from "zod";
import { line, LIMITS } from "@/lib/validation/fields";

// Shared by the forms (react-hook-form) and the server actions.
export const emailField = line(254).trim().min(1, "Enter your email.").pipe(z.email("Enter a valid email address."));
export const passwordField = line(200).min(10, "Use at least 10 characters.");

export const signInSchema = z.object({
  email: emailField,
  password: line(200).min(1, "Enter your password."),
});

export const teamNameField = line(80).trim().min(1, "Enter a team name.");

export const accountSchema = z.object({
  name: line(LIMITS.name).trim().min(1, "Enter your name."),
  email: emailField,
  password: passwordField,
});

export const setupSchema = accountSchema.extend({ teamName: teamNameField });

/** For actions that take nothing (sign out): the wrappers still parse what they are sent. */
export const noInputSchema = z.object({});

export type SignInInput = z.infer<typeof signInSchema>;
export type AccountInput = z.infer<typeof accountSchema>;
export type SetupInput = z.infer<typeof setupSchema>;
