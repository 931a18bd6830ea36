import { getDb } from "@/db";
import { getEnv } from "@/lib/config/env";
import { routeErrorResponse } from "@/lib/errors/route-error";
import { ServiceError } from "@/lib/errors/service-error";
import { startWebhookRun, webhookResult } from "@/lib/flows";
import { declaresTooLarge, formatBytes, readBodyJson } from "@/lib/inbound/read-body";
import { findNul } from "@/lib/validation/fields";

/**
 * Starts a flow run from a webhook: POST a JSON object (the run's input) with the flow's token in
 * `Authorization: Bearer …`, `X-Plugboard-Token` or `?token=`. Answers 202 with the run id, or, when the
 * flow is set to wait, with its last step's response.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const limit = getEnv().maxBodyBytes;
  // A declared oversize body is refused before any work; an undeclared one is read (capped) only after the token check.
  if (declaresTooLarge(request.headers, limit)) return Response.json({ error: `The body is larger than ${formatBytes(limit)}.` }, { status: 413 });
  const url = new URL(request.url);
  const token =
    /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ??
    request.headers.get("x-plugboard-token") ??
    url.searchParams.get("token");
  const readInput = async () => {
    let input: unknown;
    try {
      input = (await readBodyJson(request, limit)) ?? {};
    } catch (error) {
      if (error instanceof SyntaxError) throw new ServiceError("The body is not valid JSON.", "invalid");
      throw error;
    }
    const nul = findNul(input);
    if (nul) throw new ServiceError(`The body holds a NUL character (\\u0000) at ${nul.join(".") || "the top level"}; remove it.`, "invalid");
    return input;
  };
  const db = await getDb();
  try {
    const run = await startWebhookRun(db, id, token, readInput);
    if (run.waitForResult) return await webhookResult(db, run.ctx, run.runId);
    return Response.json({ runId: run.runId, status: "queued" }, { status: 202, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return routeErrorResponse(error, "webhook", "The run could not be started. Please try again.");
  }
}
