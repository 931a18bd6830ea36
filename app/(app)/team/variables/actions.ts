"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { deleteVariable, setVariable } from "@/lib/variables";
import { updateVariableSchema, variableIdSchema, variableInputSchema } from "@/lib/variables/schemas";

// Answers carry the name and the flag only: a secret value never leaves the server again.

export const createVariableAction = teamAction({ schema: variableInputSchema, role: "admin" }, async (ctx, input, db) => {
  const saved = await setVariable(db, ctx, input);
  revalidatePath("/team/variables");
  return { id: saved.id, name: saved.name };
});

export const updateVariableAction = teamAction({ schema: updateVariableSchema, role: "admin" }, async (ctx, input, db) => {
  const saved = await setVariable(db, ctx, input);
  revalidatePath("/team/variables");
  return { id: saved.id, name: saved.name };
});

export const deleteVariableAction = teamAction({ schema: variableIdSchema, role: "admin" }, async (ctx, input, db) => {
  await deleteVariable(db, ctx, input.id);
  revalidatePath("/team/variables");
  return null;
});
