import "server-only";
import { stat } from "node:fs/promises";
import path from "node:path";
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
