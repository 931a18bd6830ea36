import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { flowRuns, flowStepRuns, savedRequests, type McpToolRow } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import type { TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { loadFlow, startFlowRun } from "@/lib/flows";
import { MappingError } from "@/lib/flows/mapping";
import { StepRequestError } from "@/lib/flows/step-template";
import { requestSpecSchema } from "@/lib/http/spec";
import { runRequest } from "@/lib/requests";
import { resolveRunConnection } from "@/lib/requests/resolve-connection";
import type { RunView } from "@/lib/requests/run-view";
import { compileInputSchema, findMcpTool } from "./tools";

/** An MCP CallToolResult: text content, and isError for a failure the model should see and act on. */
export type ToolResult = { content: { type: "text"; text: string }[]; isError?: boolean };

export type ToolProgress = (progress: number, total: number, message: string) => Promise<void>;

/** How long a call waits for a flow run before answering with its run id (the run goes on). */
export const FLOW_WAIT_MS = 120_000;
const FLOW_POLL_MS = 200;

const text = (value: unknown, isError = false): ToolResult => ({
  content: [{ type: "text", text: typeof value === "string" ? value : JSON.stringify(value, null, 2) }],
  ...(isError ? { isError } : {}),
});

/**
 * Runs the team's tool `name` with `args` exactly as its saved request or flow runs from the app (same
 * connection, guard, limits, masking, history and audit), and audits the call with its outcome. Another
 * team's tool is unknown here, like a tool that does not exist.
 */
export async function callMcpTool(
  db: Database,
  ctx: TeamContext,
  call: { name: string; args: Record<string, unknown>; signal?: AbortSignal; onProgress?: ToolProgress },
): Promise<ToolResult> {
  const tool = await findMcpTool(db, ctx, call.name);
  let result: ToolResult;
  let runId: string | null = null;
  if (!tool) {
    result = text(`Unknown tool: ${call.name.slice(0, 64)}.`, true);
  } else {
    const validate = compileInputSchema(tool.inputSchema);
    if (!validate(call.args)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "arguments"} ${e.message ?? "is invalid"}`);
      result = text(`The arguments do not match the tool's input schema: ${problems.join("; ")}.`, true);
    } else {
      try {
        ({ result, runId } = tool.savedRequestId ? await runSavedRequest(db, ctx, tool, call) : await runFlowTool(db, ctx, tool, call));
      } catch (error) {
        // A refusal the caller can act on (a missing connection, a bad template) is a tool error; anything else propagates.
        if (!(error instanceof ServiceError || error instanceof StepRequestError || error instanceof MappingError)) throw error;
        result = text(error.message, true);
      }
    }
  }
  await recordTeamAudit(db, ctx, {
    action: "mcp.tool_called",
    target: tool ? { type: "mcp_tool", id: tool.id } : undefined,
    metadata: { tool: call.name.slice(0, 64), outcome: result.isError ? "error" : "ok", runId },
  });
  return result;
}

type CallInput = Parameters<typeof callMcpTool>[2];

async function runSavedRequest(db: Database, ctx: TeamContext, tool: McpToolRow, call: CallInput) {
  const [saved] = await db
    .select()
    .from(savedRequests)
    .where(and(eq(savedRequests.id, tool.savedRequestId ?? ""), eq(savedRequests.teamId, ctx.team.id)));
  if (!saved) return { result: text("The saved request behind this tool was deleted.", true), runId: null };
  const connection = await resolveRunConnection(db, ctx, saved.connectionId);
  // The arguments fill {{input.NAME}} where the team's variables fill {{vars.NAME}}: in runRequest, so the
  // secret variables it fills are masked in what the model gets, as in the app.
  const view = await runRequest(db, ctx, { spec: requestSpecSchema.parse(saved.spec), connection }, { signal: call.signal, toolInput: call.args });
  return { result: text(describeRun(view), !view.ok), runId: view.runId };
}

/** What the model gets of a run: the (masked) response, not the timings and debug detail of the page. */
function describeRun(view: RunView) {
  if (!view.ok) return { ok: false, kind: view.kind, message: view.message, status: view.response?.status };
  return { ok: true, status: view.status, statusText: view.statusText, headers: view.headers, body: view.body };
}

async function runFlowTool(db: Database, ctx: TeamContext, tool: McpToolRow, call: CallInput) {
  const stepTotal = ((await loadFlow(db, ctx, tool.flowId ?? "")).steps as unknown[]).length;
  const started = await startFlowRun(db, ctx, { flowId: tool.flowId ?? "", input: call.args, trigger: "api" });
  if (!started) return { result: text("The flow run could not be started.", true), runId: null };
  const { runId } = started;
  const deadline = Date.now() + FLOW_WAIT_MS;
  let reported = -1;
  for (;;) {
    const [run] = await db
      .select({ status: flowRuns.status, error: flowRuns.error })
      .from(flowRuns)
      .where(and(eq(flowRuns.id, runId), eq(flowRuns.teamId, ctx.team.id)));
    const steps = await db
      .select({
        stepName: flowStepRuns.stepName,
        status: flowStepRuns.status,
        responseStatus: flowStepRuns.responseStatus,
        responseBodyType: flowStepRuns.responseBodyType,
        responseBody: flowStepRuns.responseBody,
        error: flowStepRuns.error,
      })
      .from(flowStepRuns)
      .where(and(eq(flowStepRuns.runId, runId), eq(flowStepRuns.teamId, ctx.team.id)))
      .orderBy(asc(flowStepRuns.position));
    const total = Math.max(steps.length, stepTotal);
    if (call.onProgress && steps.length !== reported) {
      reported = steps.length;
      await call.onProgress(steps.length, total, steps.length ? `Step ${steps.at(-1)?.stepName} ${steps.at(-1)?.status}` : "Queued");
    }
    if (run?.status === "succeeded" || run?.status === "failed") {
      const last = steps.at(-1);
      // Step rows are stored masked by the runner (lib/flows/step-record.ts).
      return {
        result: text(
          {
            runId,
            status: run.status,
            error: run.error ?? undefined,
            lastStep: last && {
              name: last.stepName,
              status: last.status,
              responseStatus: last.responseStatus,
              body: last.responseBodyType === "json" && last.responseBody ? safeJson(last.responseBody) : last.responseBody,
              error: last.error ?? undefined,
            },
          },
          run.status === "failed",
        ),
        runId,
      };
    }
    if (Date.now() >= deadline || call.signal?.aborted) {
      return { result: text({ runId, status: run?.status ?? "queued", message: "The flow is still running; see its run in Plugboard." }), runId };
    }
    await new Promise((r) => setTimeout(r, FLOW_POLL_MS));
  }
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
