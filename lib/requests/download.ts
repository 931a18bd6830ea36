import "server-only";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import parseRange from "range-parser";
import type { Executor } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import type { RetentionLimits } from "@/lib/config/env";
import { NotFoundError } from "@/lib/errors/service-error";
import { getRun } from "./history";
import { describeDownloadRetention } from "./retention";

export type RunDownload = { kind: "file"; path: string; size: number } | { kind: "not_found" | "gone"; message: string };

/**
 * The file a run streamed to the downloads folder, for a member of the run's team. A run that is not in
 * the team's history (never was, another team's, or pruned with its file) is not_found; a run whose file
 * retention removed, or whose file is missing, is gone (HTTP 410), with the retention in words.
 */
export async function findRunDownload(
  db: Executor,
  ctx: TeamContext,
  runId: string,
  options: { dir: string; limits: RetentionLimits },
): Promise<RunDownload> {
  const kept = `History entries are kept ${options.limits.historyDays} days; ${describeDownloadRetention(options.limits)}`;
  if (!/^[0-9a-f-]{36}$/i.test(runId)) return { kind: "not_found", message: "Not found." };
  let run: Awaited<ReturnType<typeof getRun>>;
  try {
    run = await getRun(db, ctx, runId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return { kind: "not_found", message: `This request is not in your team's history (it may have been removed by retention). ${kept}` };
  }
  if (run.downloadRemovedAt) {
    return { kind: "gone", message: `This download was removed by retention on ${run.downloadRemovedAt.toISOString().slice(0, 10)}. ${kept}` };
  }
  const file = path.join(options.dir, run.id);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return { kind: "gone", message: `This download is no longer available. ${kept}` };
  return { kind: "file", path: file, size: info.size };
}

/** What a download answers for a Range header: the whole file, one byte range of it, or 416. */
export type DownloadPart = { kind: "whole" } | { kind: "range"; start: number; end: number } | { kind: "unsatisfiable" };

/**
 * One byte range of a file of `size` bytes (RFC 9110 §14), so an interrupted download can resume. A
 * malformed header or several ranges get the whole file, which the RFC allows a server to send instead.
 */
export function downloadPart(rangeHeader: string | null, size: number): DownloadPart {
  if (!rangeHeader) return { kind: "whole" };
  const ranges = parseRange(size, rangeHeader, { combine: true });
  if (ranges === -1) return { kind: "unsatisfiable" };
  if (ranges === -2 || ranges.type !== "bytes" || ranges.length !== 1) return { kind: "whole" };
  return { kind: "range", start: ranges[0].start, end: ranges[0].end };
}

/** Bytes read per chunk: large chunks carry a big download through Next.js's stream-to-socket piping in few hops. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Bytes start..end (inclusive) of a file as a web stream, read on demand into a fresh buffer per chunk.
 * Not `Readable.toWeb(createReadStream())`: that copies every chunk once more (Node 20 detaches it from the
 * stream's pool), which profiling showed as the largest cost of serving a download.
 */
export async function fileByteStream(file: string, start: number, end: number): Promise<ReadableStream<Uint8Array>> {
  const handle = await open(file, "r");
  let position = start;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const length = Math.min(CHUNK_BYTES, end + 1 - position);
          const buffer = length > 0 ? Buffer.allocUnsafe(length) : null;
          const { bytesRead } = buffer ? await handle.read(buffer, 0, length, position) : { bytesRead: 0 };
          if (!buffer || bytesRead === 0) {
            await close();
            // Shorter than when it was found: the caller announced its size, so this is an error, not an end.
            if (position <= end) controller.error(new Error("the file became shorter while it was read"));
            else controller.close();
            return;
          }
          position += bytesRead;
          controller.enqueue(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
        } catch (error) {
          await close().catch(() => {});
          controller.error(error);
        }
      },
      async cancel() {
        await close();
      },
    },
    // One chunk read ahead while the previous one is written to the socket.
    { highWaterMark: 1 },
  );
}
