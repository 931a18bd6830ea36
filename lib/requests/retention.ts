import "server-only";
import { readdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { requestRuns } from "@/db/schema";
import type { RetentionLimits } from "@/lib/config/env";

/**
 * Retention of the request history: rows older than the limit, or past the team's size budget (newest
 * kept first), are deleted with their downloaded file; downloaded files have their own, shorter age and
 * size budget, and their rows stay (the download then answers 410). Files in the downloads folder that no
 * row owns (a crash between writing and recording, a file removed from the database but not the disk)
 * are deleted too. Called by the hourly maintenance job.
 */

const BATCH = 1000;
/** A file is written (and renamed to its run's id) just before its row is inserted: leave young files alone. */
export const ORPHAN_GRACE_MS = 60 * 60_000;
const RUN_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The executor's name for a body being streamed (read-response.ts). */
const PARTIAL_FILE = /^plugboard-[0-9a-f-]{36}\.bin$/;

export type PruneReport = { historyRows: number; downloads: number; orphans: number };

// What a history row takes on disk: its large columns as stored (compressed where Postgres compresses).
const ROW_BYTES = sql`coalesce(pg_column_size(${requestRuns.spec}), 0) + coalesce(pg_column_size(${requestRuns.responsePreview}), 0)
  + coalesce(pg_column_size(${requestRuns.responseHeaders}), 0) + coalesce(pg_column_size(${requestRuns.url}), 0)
  + coalesce(pg_column_size(${requestRuns.errorMessage}), 0)`;

export async function pruneRequestHistory(db: Database, options: { now: Date; limits: RetentionLimits; dir: string }): Promise<PruneReport> {
  const { now, limits, dir } = options;
  const report: PruneReport = { historyRows: 0, downloads: 0, orphans: 0 };

  const historyCutoff = cutoff(now, limits.historyDays);
  for (;;) {
    const sized = db
      .select({
        id: requestRuns.id,
        createdAt: requestRuns.createdAt,
        // Running total per team, newest first: a row past the budget goes, and so does everything older.
        total: sql`sum(${ROW_BYTES}) over (partition by ${requestRuns.teamId} order by ${requestRuns.createdAt} desc, ${requestRuns.id} desc)`.as(
          "total",
        ),
      })
      .from(requestRuns)
      .as("sized");
    const expired = db
      .select({ id: sized.id })
      .from(sized)
      .where(or(sql`${sized.createdAt} < ${historyCutoff}::timestamptz`, sql`${sized.total} > ${limits.historyMaxBytes}`))
      .limit(BATCH);
    const deleted = await db
      .delete(requestRuns)
      .where(inArray(requestRuns.id, expired))
      .returning({ id: requestRuns.id, downloadBytes: requestRuns.downloadBytes, downloadRemovedAt: requestRuns.downloadRemovedAt });
    report.historyRows += deleted.length;
    await removeFiles(
      dir,
      deleted.filter((r) => r.downloadBytes !== null && !r.downloadRemovedAt).map((r) => r.id),
    );
    if (deleted.length < BATCH) break;
  }

  const downloadsCutoff = cutoff(now, limits.downloadsDays);
  for (;;) {
    const files = db
      .select({
        id: requestRuns.id,
        createdAt: requestRuns.createdAt,
        total:
          sql`sum(${requestRuns.downloadBytes}) over (partition by ${requestRuns.teamId} order by ${requestRuns.createdAt} desc, ${requestRuns.id} desc)`.as(
            "total",
          ),
      })
      .from(requestRuns)
      .where(and(isNotNull(requestRuns.downloadBytes), isNull(requestRuns.downloadRemovedAt)))
      .as("files");
    const expired = db
      .select({ id: files.id })
      .from(files)
      .where(or(sql`${files.createdAt} < ${downloadsCutoff}::timestamptz`, sql`${files.total} > ${limits.downloadsMaxBytes}`))
      .limit(BATCH);
    const removed = await db
      .update(requestRuns)
      .set({ downloadRemovedAt: now })
      .where(inArray(requestRuns.id, expired))
      .returning({ id: requestRuns.id });
    report.downloads += removed.length;
    // After the commit: a crash in between leaves files whose rows say "removed", which the orphan pass deletes.
    await removeFiles(
      dir,
      removed.map((r) => r.id),
    );
    if (removed.length < BATCH) break;
  }

  report.orphans = await removeOrphanDownloads(db, dir, now);
  return report;
}

/**
 * Deletes files in the downloads folder that no history row owns, older than the grace period. A file
 * whose row predates the download_bytes column gets its size recorded, so the size budget counts it.
 */
export async function removeOrphanDownloads(db: Database, dir: string, now: Date): Promise<number> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  let removed = 0;
  for (let i = 0; i < names.length; i += BATCH) {
    const batch = names.slice(i, i + BATCH).filter((n) => RUN_FILE.test(n) || PARTIAL_FILE.test(n));
    const runIds = batch.filter((n) => RUN_FILE.test(n));
    const rows = runIds.length
      ? await db
          .select({ id: requestRuns.id, downloadBytes: requestRuns.downloadBytes, downloadRemovedAt: requestRuns.downloadRemovedAt })
          .from(requestRuns)
          .where(inArray(requestRuns.id, runIds))
      : [];
    const owners = new Map(rows.map((r) => [r.id, r]));
    for (const name of batch) {
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) continue;
      const owner = owners.get(name);
      if (owner && !owner.downloadRemovedAt) {
        if (owner.downloadBytes === null) {
          await db
            .update(requestRuns)
            .set({ downloadBytes: info.size })
            .where(and(eq(requestRuns.id, name), isNull(requestRuns.downloadBytes)));
        }
        continue;
      }
      if (!owner?.downloadRemovedAt && now.getTime() - info.mtimeMs < ORPHAN_GRACE_MS) continue;
      if (await removeFile(file)) removed++;
    }
  }
  return removed;
}

async function removeFiles(dir: string, runIds: string[]): Promise<void> {
  for (const id of runIds) await removeFile(path.join(dir, id));
}

async function removeFile(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

function cutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** "large downloads are kept 7 days, up to 10 GB per team." */
export function describeDownloadRetention(limits: RetentionLimits): string {
  return `large downloads are kept ${limits.downloadsDays} days, up to ${formatSize(limits.downloadsMaxBytes)} per team.`;
}

/** What the history page says about how long entries are kept. */
export function describeHistoryRetention(limits: RetentionLimits): string {
  return `Entries are kept ${limits.historyDays} days, up to ${formatSize(limits.historyMaxBytes)} per team (the oldest go first); ${describeDownloadRetention(limits)}`;
}

function formatSize(bytes: number): string {
  const mb = bytes / 1024 ** 2;
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GB` : `${Math.round(mb)} MB`;
}
