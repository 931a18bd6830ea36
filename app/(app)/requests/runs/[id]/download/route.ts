import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { getDb } from "@/db";
import { getTeamContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { downloadsDir, findRunDownload } from "@/lib/requests";

/** Streams a large binary response that a run saved to disk, to members of the run's team only. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const ctx = await getTeamContext();
  if (!ctx) return text(401, "Sign in first.");
  const { id } = await params;
  const download = await findRunDownload(await getDb(), ctx, id, { dir: downloadsDir(), limits: getEnv().retention });
  if (download.kind !== "file") return text(download.kind === "gone" ? 410 : 404, download.message);
  return new Response(Readable.toWeb(createReadStream(download.path)) as ReadableStream, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(download.size),
      "Content-Disposition": `attachment; filename="response-${id}"`,
      "Cache-Control": "no-store",
    },
  });
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
