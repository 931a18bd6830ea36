import "server-only";
import { Ajv } from "ajv";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { flows, mcpTools, savedRequests, type McpToolRow } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import type { StepSpecTemplate } from "@/lib/flows/step-template";
import { flowInputSchema, requestInputSchema, type ToolInputSchema } from "./input-schema";
import { mcpToolSchema, type McpToolInput } from "./schemas";

export type ToolTarget = { kind: "request"; id: string } | { kind: "flow"; id: string };

function parseTarget(value: string): ToolTarget {
  const [kind, id] = value.split(":");
  return { kind: kind === "flow" ? "flow" : "request", id: id.toLowerCase() };
}

/** The team's tools with what each wraps (member: the MCP endpoint lists them; the admin page too). */
export async function listMcpTools(db: Executor, ctx: TeamContext) {
  return db
    .select({
      id: mcpTools.id,
      name: mcpTools.name,
      description: mcpTools.description,
      consentText: mcpTools.consentText,
      inputSchema: mcpTools.inputSchema,
      savedRequestId: mcpTools.savedRequestId,
      flowId: mcpTools.flowId,
      requestName: savedRequests.name,
      flowName: flows.name,
    })
    .from(mcpTools)
    .leftJoin(savedRequests, eq(savedRequests.id, mcpTools.savedRequestId))
    .leftJoin(flows, eq(flows.id, mcpTools.flowId))
    .where(eq(mcpTools.teamId, ctx.team.id))
    .orderBy(asc(mcpTools.name));
}

export async function findMcpTool(db: Executor, ctx: TeamContext, name: string): Promise<McpToolRow | null> {
  const [row] = await db
    .select()
    .from(mcpTools)
    .where(and(eq(mcpTools.teamId, ctx.team.id), eq(mcpTools.name, name)));
  return row ?? null;
}

/** The generated definition for a saved request or flow of the team: the form's starting point. */
export async function suggestToolDefinition(db: Executor, ctx: TeamContext, target: string) {
  const t = parseTarget(target);
  if (t.kind === "request") {
    const [row] = await db
      .select({ name: savedRequests.name, spec: savedRequests.spec })
      .from(savedRequests)
      .where(and(eq(savedRequests.id, t.id), eq(savedRequests.teamId, ctx.team.id)));
    if (!row) throw new NotFoundError("That saved request");
    return {
      name: toolName(row.name),
      description: `Runs the saved request “${row.name}”.`,
      consentText: `Run the saved request “${row.name}” with the team's connection`,
      inputSchema: requestInputSchema(row.spec),
    };
  }
  const [row] = await db
    .select({ name: flows.name, description: flows.description, steps: flows.steps, sampleInput: flows.sampleInput })
    .from(flows)
    .where(and(eq(flows.id, t.id), eq(flows.teamId, ctx.team.id)));
  if (!row) throw new NotFoundError("That flow");
  const steps = row.steps as { spec: StepSpecTemplate }[];
  return {
    name: toolName(row.name),
    description: row.description || `Runs the flow “${row.name}” and returns its last step's response.`,
    consentText: `Run the flow “${row.name}” (${steps.length} step${steps.length === 1 ? "" : "s"}) with the team's connections`,
    inputSchema: flowInputSchema({ steps, sampleInput: row.sampleInput }),
  };
}

function toolName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 64) || "tool"
  );
}

/** Compiles a JSON Schema with ajv; a schema ajv refuses is a field error, not a broken tool later. */
export function compileInputSchema(schema: unknown) {
  const ajv = new Ajv({ allErrors: false, strict: false });
  try {
    return ajv.compile(schema as ToolInputSchema);
  } catch (error) {
    throw new ServiceError("The input schema is not a valid JSON Schema.", "invalid", {
      inputSchema: `Not a valid JSON Schema: ${error instanceof Error ? error.message.slice(0, 200) : "unreadable"}.`,
    });
  }
}

/** Offers a saved request or flow as a tool, or replaces the tool of that name. Admins only. */
export async function saveMcpTool(db: Database, ctx: TeamContext, raw: McpToolInput): Promise<{ id: string }> {
  requireRole(ctx, "admin");
  const input = mcpToolSchema.parse(raw);
  const target = parseTarget(input.target);
  await suggestToolDefinition(db, ctx, input.target); // the target is the team's (NotFound otherwise)
  const inputSchema = JSON.parse(input.inputSchema) as Record<string, unknown>;
  compileInputSchema(inputSchema);
  const values = {
    teamId: ctx.team.id,
    name: input.name,
    description: input.description,
    consentText: input.consentText,
    inputSchema,
    savedRequestId: target.kind === "request" ? target.id : null,
    flowId: target.kind === "flow" ? target.id : null,
    createdBy: ctx.actor.id,
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mcpTools)
      .values(values)
      .onConflictDoUpdate({
        target: [mcpTools.teamId, mcpTools.name],
        set: { ...values, createdBy: undefined, updatedAt: new Date() },
      })
      .returning({ id: mcpTools.id });
    await recordTeamAudit(tx, ctx, {
      action: "mcp.tool_saved",
      target: { type: "mcp_tool", id: row.id },
      metadata: { name: input.name, [target.kind === "flow" ? "flowId" : "savedRequestId"]: target.id },
    });
    return row;
  });
}

export async function deleteMcpTool(db: Database, ctx: TeamContext, toolId: string): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(mcpTools)
      .where(and(eq(mcpTools.id, toolId), eq(mcpTools.teamId, ctx.team.id)))
      .returning({ id: mcpTools.id, name: mcpTools.name });
    if (!row) throw new NotFoundError("That tool");
    await recordTeamAudit(tx, ctx, { action: "mcp.tool_deleted", target: { type: "mcp_tool", id: row.id }, metadata: { name: row.name } });
  });
}
