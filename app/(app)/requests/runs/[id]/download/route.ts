import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { getDb } from "@/db";
import { getTeamContext } from "@/lib/auth/session";
import { routeErrorResponse } from "@/lib/errors/route-error";
import { downloadsDir, getRun } from "@/lib/requests";

/** Streams a large binary response that a run saved to disk, to members of the run's team only. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const ctx = await getTeamContext();
  if (!ctx) return new Response("Sign in first.", { status: 401 });
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return new Response("Not found", { status: 404 });
  try {
    await getRun(await getDb(), ctx, id);
  } catch (error) {
    return routeErrorResponse(error, "download", "The download could not be read. Please try again.");
  }
  const file = path.join(downloadsDir(), id);
  const info = await stat(file).catch(() => null);
  if (!info) return new Response("This download is no longer available.", { status: 404 });
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(info.size),
      "Content-Disposition": `attachment; filename="response-${id}"`,
      "Cache-Control": "no-store",
    },
  });
}
