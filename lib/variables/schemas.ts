import { z } from "zod";
import { line, text } from "@/lib/validation/fields";

/** Client-safe: the one input schema of a team variable, shared by the Variables form, its action and the REST API. */

export const VARIABLE_LIMITS = {
  name: 64,
  value: 8192,
  /** Variables per team: every request and flow run loads them all. */
  perTeam: 200,
} as const;

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const variableNameSchema = line(VARIABLE_LIMITS.name)
  .trim()
  .min(1, "Enter a name.")
  .regex(VARIABLE_NAME, "Use letters, digits and _, starting with a letter or _ (it is written {{vars.NAME}}).");

export const variableInputSchema = z.object({
  name: variableNameSchema,
  /** For a secret variable being edited, empty keeps the stored value (it is never shown again). */
  value: text(VARIABLE_LIMITS.value).default(""),
  secret: z.boolean("Say whether the value is secret.").default(false),
});

/** No input: the names of the caller's team variables (offered as {{vars.NAME}} in a form). */
export const variableNamesSchema = z.object({});
export const variableIdSchema = z.object({ id: z.uuid("Not a variable id.") });
export const updateVariableSchema = variableInputSchema.extend({ id: z.uuid("Not a variable id.") });

export type VariableInput = z.input<typeof variableInputSchema>;
export type UpdateVariableInput = z.input<typeof updateVariableSchema>;

/** A variable as members see it: the value of a secret one is never given out. */
export type VariableSummary = {
  id: string;
  name: string;
  secret: boolean;
  /** null for a secret variable. */
  value: string | null;
  /** false for a secret variable whose value was never typed here (imported from a bundle without secrets). */
  valueSet: boolean;
  updatedAt: Date;
};
