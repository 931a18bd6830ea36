"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { ServiceError } from "@/lib/errors/service-error";
import { createFlow, createWebhookToken, deleteFlow, removeWebhook, rerunFlowRun, startFlowRun, updateFlow } from "@/lib/flows";
import { flowIdSchema, parseInputText, runFlowSchema, runIdSchema, saveFlowSchema } from "@/lib/flows/model";

export const saveFlowAction = teamAction({ schema: saveFlowSchema, role: "member" }, async (ctx, input, db) => {
  const saved = input.flowId ? await updateFlow(db, ctx, input.flowId, input.flow) : await createFlow(db, ctx, input.flow);
  revalidatePath("/flows");
  return saved;
});

export const deleteFlowAction = teamAction({ schema: flowIdSchema, role: "member" }, async (ctx, input, db) => {
  await deleteFlow(db, ctx, input.flowId);
  revalidatePath("/flows");
  return null;
});

export const runFlowAction = teamAction({ schema: runFlowSchema, role: "member" }, async (ctx, input, db) => {
  const parsed = parseInputText(input.input);
  if (!parsed.ok) throw new ServiceError(parsed.error, "invalid", { input: parsed.error });
  const run = await startFlowRun(db, ctx, { flowId: input.flowId, input: parsed.value, slotConnections: input.slotConnections, trigger: "manual" });
  if (!run) throw new ServiceError("The run could not be started.");
  return run;
});

export const rerunFlowAction = teamAction({ schema: runIdSchema, role: "member" }, async (ctx, input, db) => {
  const run = await rerunFlowRun(db, ctx, input.runId);
  if (!run) throw new ServiceError("The run could not be started.");
  return run;
});

export const createWebhookTokenAction = teamAction({ schema: flowIdSchema, role: "member" }, async (ctx, input, db) => {
  const { token } = await createWebhookToken(db, ctx, input.flowId);
  revalidatePath(`/flows/${input.flowId}`);
  return { token };
});

export const removeWebhookAction = teamAction({ schema: flowIdSchema, role: "member" }, async (ctx, input, db) => {
  await removeWebhook(db, ctx, input.flowId);
  revalidatePath(`/flows/${input.flowId}`);
  return null;
});
