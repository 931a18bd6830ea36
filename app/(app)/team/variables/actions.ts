"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { deleteVariable, setVariable, teamVariableNames } from "@/lib/variables";
import { updateVariableSchema, variableIdSchema, variableInputSchema, variableNamesSchema } from "@/lib/variables/schemas";

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

/** The names every member may read, for a form opened in a dialog (the connection form offers them). */
export const listVariableNamesAction = teamAction({ schema: variableNamesSchema, role: "member" }, async (ctx, _input, db) => {
  return [...(await teamVariableNames(db, ctx.team.id))].sort();
});
