import { z } from "zod";

// Shared by the forms (react-hook-form) and the server actions.
export const emailField = z.string().trim().min(1, "Enter your email.").pipe(z.email("Enter a valid email address."));
export const passwordField = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, "Enter your password."),
});

export const teamNameField = z.string().trim().min(1, "Enter a team name.").max(80, "Use at most 80 characters.");

export const accountSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: emailField,
  password: passwordField,
});

export const setupSchema = accountSchema.extend({ teamName: teamNameField });

/** For actions that take nothing (sign out): the wrappers still parse what they are sent. */
export const noInputSchema = z.object({});

export type SignInInput = z.infer<typeof signInSchema>;
export type AccountInput = z.infer<typeof accountSchema>;
export type SetupInput = z.infer<typeof setupSchema>;
