"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/auth/action";
import { mcpToolIdSchema, mcpToolSchema, registrationApprovalSchema } from "@/lib/mcp/schemas";
import { deleteMcpTool, saveMcpTool, suggestToolDefinition } from "@/lib/mcp/tools";
import { setRegistrationApproval } from "@/lib/oauth-server/registration-approval";

export const saveMcpToolAction = teamAction({ schema: mcpToolSchema, role: "admin" }, async (ctx, input, db) => {
  const saved = await saveMcpTool(db, ctx, input);
  revalidatePath("/team/mcp");
  return saved;
});

export const deleteMcpToolAction = teamAction({ schema: mcpToolIdSchema, role: "admin" }, async (ctx, input, db) => {
  await deleteMcpTool(db, ctx, input.toolId);
  revalidatePath("/team/mcp");
  return { deleted: true };
});

export const suggestMcpToolAction = teamAction(
  { schema: z.object({ target: mcpToolSchema.shape.target }), role: "admin" },
  async (ctx, input, db) => {
    const suggested = await suggestToolDefinition(db, ctx, input.target);
    return { ...suggested, inputSchema: JSON.stringify(suggested.inputSchema, null, 2) };
  },
);

export const setRegistrationApprovalAction = teamAction({ schema: registrationApprovalSchema, role: "admin" }, async (ctx, input, db) => {
  await setRegistrationApproval(db, ctx, input.needApproval);
  revalidatePath("/team/mcp");
  return null;
});
