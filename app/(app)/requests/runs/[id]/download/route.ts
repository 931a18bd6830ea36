import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { getDb } from "@/db";
import { getTeamContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { downloadPart, downloadsDir, findRunDownload } from "@/lib/requests";

// Read size of the file stream: 1 MiB chunks (Node's default is 64 KiB) carry a large download through the web
// stream Next.js pipes to the socket in 16x fewer hops; bench/cases/downloads.ts measures the result.
const CHUNK_BYTES = 1024 * 1024;

/** Streams a large binary response that a run saved to disk, to members of the run's team only; one byte range on request. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const ctx = await getTeamContext();
  if (!ctx) return text(401, "Sign in first.");
  const { id } = await params;
  const download = await findRunDownload(await getDb(), ctx, id, { dir: downloadsDir(), limits: getEnv().retention });
  if (download.kind !== "file") return text(download.kind === "gone" ? 410 : 404, download.message);
  const headers: Record<string, string> = {
    "Content-Type": "application/octet-stream",
    "Content-Disposition": `attachment; filename="response-${id}"`,
    "Cache-Control": "no-store",
    "Accept-Ranges": "bytes",
  };
  const part = downloadPart(request.headers.get("range"), download.size);
  if (part.kind === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${download.size}` } });
  }
  const { start, end } = part.kind === "range" ? part : { start: 0, end: download.size - 1 };
  // An empty file: createReadStream's end is inclusive, so end -1 would read the whole file.
  const body =
    download.size === 0 ? null : (Readable.toWeb(createReadStream(download.path, { start, end, highWaterMark: CHUNK_BYTES })) as ReadableStream);
  if (part.kind === "range") headers["Content-Range"] = `bytes ${start}-${end}/${download.size}`;
  headers["Content-Length"] = String(end - start + 1);
  return new Response(body, { status: part.kind === "range" ? 206 : 200, headers });
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
