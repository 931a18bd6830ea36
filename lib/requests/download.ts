import "server-only";
import { stat } from "node:fs/promises";
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
