import { getDb } from "@/db";
import { getTeamContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { downloadPart, downloadsDir, fileByteStream, findRunDownload } from "@/lib/requests";

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
  // An empty file has no bytes to read (end would be -1).
  const body = download.size === 0 ? null : await fileByteStream(download.path, start, end);
  // No Content-Length: Next.js (16.4) drops it from every route handler's response and sends the body chunked.
  // The size is on the run's page, and a range answer's Content-Range names the whole file's size.
  if (part.kind === "range") headers["Content-Range"] = `bytes ${start}-${end}/${download.size}`;
  return new Response(body, { status: part.kind === "range" ? 206 : 200, headers });
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
