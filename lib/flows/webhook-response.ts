import "server-only";
import { and, desc, eq, ne } from "drizzle-orm";
import type { Database } from "@/db";
import { flowStepRuns } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { waitForRun } from "./runs";

export const WEBHOOK_WAIT_MS = 30_000;

/**
 * The webhook's answer in wait mode: the last executed step's response (status, content type, body as
 * stored: masked and capped), or the run's state when it failed or is still running after the wait.
 */
export async function webhookResult(db: Database, ctx: TeamContext, runId: string, waitMs = WEBHOOK_WAIT_MS): Promise<Response> {
  const run = await waitForRun(db, ctx, runId, waitMs);
  const headers = { "X-Plugboard-Run-Id": runId, "Cache-Control": "no-store" };
  if (run.status === "queued" || run.status === "running") return Response.json({ runId, status: run.status }, { status: 202, headers });
  if (run.status === "failed") return Response.json({ runId, status: "failed", error: run.error }, { status: 502, headers });
  const [last] = await db
    .select()
    .from(flowStepRuns)
    .where(and(eq(flowStepRuns.runId, runId), eq(flowStepRuns.teamId, ctx.team.id), ne(flowStepRuns.status, "skipped")))
    .orderBy(desc(flowStepRuns.position))
    .limit(1);
  if (!last || last.responseStatus === null) return Response.json({ runId, status: run.status }, { headers });
  const type = last.responseHeaders?.["content-type"];
  return new Response(last.responseBody ?? "", {
    status: last.responseStatus < 200 || last.responseStatus > 599 ? 200 : last.responseStatus,
    headers: { ...headers, "Content-Type": (Array.isArray(type) ? type[0] : type) ?? "text/plain; charset=utf-8" },
  });
}
