import { getDb } from "@/db";
import { routeErrorResponse } from "@/lib/errors/route-error";
import { startWebhookRun, webhookResult } from "@/lib/flows";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts a flow run from a webhook: POST a JSON object (the run's input) with the flow's token in
 * `Authorization: Bearer …`, `X-Plugboard-Token` or `?token=`. Answers 202 with the run id, or, when the
 * flow is set to wait, with its last step's response.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const url = new URL(request.url);
  const token =
    /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? request.headers.get("x-plugboard-token") ?? url.searchParams.get("token");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return Response.json({ error: "The body is larger than 1 MB." }, { status: 413 });
  let input: unknown = {};
  if (text.trim()) {
    try {
      input = JSON.parse(text);
    } catch {
      return Response.json({ error: "The body is not valid JSON." }, { status: 400 });
    }
  }
  const db = await getDb();
  try {
    const run = await startWebhookRun(db, id, token, input);
    if (run.waitForResult) return await webhookResult(db, run.ctx, run.runId);
    return Response.json({ runId: run.runId, status: "queued" }, { status: 202, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return routeErrorResponse(error, "webhook", "The run could not be started. Please try again.");
  }
}
