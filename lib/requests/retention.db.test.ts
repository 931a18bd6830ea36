import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorColumns } from "@/lib/auth/actor";
import { getDb } from "@/db";
import { requestRuns } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import type { RetentionLimits } from "@/lib/config/env";
import { makeTeamContext } from "@/lib/testing/factories";
import { findRunDownload } from "./download";
import { describeHistoryRetention, ORPHAN_GRACE_MS, pruneRequestHistory } from "./retention";

// The test database is shared with other suites running at the same time: every case works on rows far in
// the past or on its own team's size, with limits that leave everyone else's recent, small rows alone.
const DAY = 86_400_000;
const MB = 1024 ** 2;
const roomy: RetentionLimits = { historyDays: 36_500, historyMaxBytes: 1024 * MB, downloadsDays: 36_500, downloadsMaxBytes: 1024 ** 4 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "plugboard-retention-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A history row of about `previewBytes` on disk (random, so Postgres cannot compress it), optionally with a file. */
async function historyRow(ctx: TeamContext, options: { ageMs: number; previewBytes?: number; downloadBytes?: number }) {
  const db = await getDb();
  const id = randomUUID();
  await db.insert(requestRuns).values({
    id,
    teamId: ctx.team.id,
    ...actorColumns(ctx.principal),
    method: "GET",
    url: "https://example.com/file",
    spec: {},
    ok: true,
    status: 200,
    durationMs: 1,
    responsePreview: options.previewBytes ? randomBytes(options.previewBytes * 0.75).toString("base64") : null,
    downloadBytes: options.downloadBytes ?? null,
    createdAt: new Date(Date.now() - options.ageMs),
  });
  if (options.downloadBytes !== undefined) await writeFile(path.join(dir, id), "file body");
  return id;
}

async function remaining(ids: string[]) {
  const db = await getDb();
  const rows = await db.select({ id: requestRuns.id, removed: requestRuns.downloadRemovedAt }).from(requestRuns).where(inArray(requestRuns.id, ids));
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    return { row: Boolean(row), downloadRemoved: Boolean(row?.removed), file: existsSync(path.join(dir, id)) };
  });
}

describe("request history retention", () => {
  it("deletes rows past their age with their file, and removes older downloads while keeping their rows", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const ancient = await historyRow(ctx, { ageMs: 20_000 * DAY, downloadBytes: 9 });
    const old = await historyRow(ctx, { ageMs: 15_000 * DAY, downloadBytes: 9 });
    const plain = await historyRow(ctx, { ageMs: 15_000 * DAY });
    const recent = await historyRow(ctx, { ageMs: DAY, downloadBytes: 9 });
    const limits = { ...roomy, historyDays: 18_000, downloadsDays: 10_000 };
    const report = await pruneRequestHistory(db, { now: new Date(), limits, dir });

    expect(await remaining([ancient, old, plain, recent])).toEqual([
      { row: false, downloadRemoved: false, file: false },
      { row: true, downloadRemoved: true, file: false },
      { row: true, downloadRemoved: false, file: false },
      { row: true, downloadRemoved: false, file: true },
    ]);
    expect(report).toMatchObject({ historyRows: 1, downloads: 1 });

    // The download route says which: a pruned row is not found, a pruned file is gone (410), the rest streams.
    const find = (id: string) => findRunDownload(db, ctx, id, { dir, limits });
    expect(await find(ancient)).toMatchObject({ kind: "not_found", message: expect.stringContaining("kept 18000 days") });
    expect(await find(old)).toMatchObject({ kind: "gone", message: expect.stringContaining("removed by retention") });
    expect(await find(recent)).toMatchObject({ kind: "file", size: 9 });
    expect(await findRunDownload(db, await makeTeamContext(), recent, { dir, limits })).toMatchObject({ kind: "not_found" });
  });

  it("keeps each team within its size budget, newest first, for rows and for downloads", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const other = await makeTeamContext();
    // Five rows of about 1 MB, oldest first; the other team's one row is not counted against this team.
    const rows = [];
    for (let i = 5; i >= 1; i--) rows.push(await historyRow(ctx, { ageMs: i * 60_000, previewBytes: MB }));
    const otherRow = await historyRow(other, { ageMs: 10 * 60_000, previewBytes: MB });
    await pruneRequestHistory(db, { now: new Date(), limits: { ...roomy, historyMaxBytes: 2.5 * MB }, dir });
    expect((await remaining([...rows, otherRow])).map((r) => r.row)).toEqual([false, false, false, true, true, true]);

    // Downloads: three "1 GB" files against a 2.5 GB budget lose the oldest file; every row stays.
    const files = [];
    for (let i = 3; i >= 1; i--) files.push(await historyRow(ctx, { ageMs: i * 60_000, downloadBytes: 1024 ** 3 }));
    await pruneRequestHistory(db, { now: new Date(), limits: { ...roomy, downloadsMaxBytes: 2.5 * 1024 ** 3 }, dir });
    expect(await remaining(files)).toEqual([
      { row: true, downloadRemoved: true, file: false },
      { row: true, downloadRemoved: false, file: true },
      { row: true, downloadRemoved: false, file: true },
    ]);
  });

  it("removes orphan files past the grace period, and counts files recorded before sizes were", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const old = new Date(Date.now() - ORPHAN_GRACE_MS - 60_000);
    const orphan = randomUUID();
    const young = randomUUID();
    const partial = `plugboard-${randomUUID()}.bin`;
    for (const name of [orphan, young, partial, "notes.txt"]) await writeFile(path.join(dir, name), "x");
    for (const name of [orphan, partial, "notes.txt"]) await utimes(path.join(dir, name), old, old);
    // A row from before download sizes were recorded: its file stays and its size is filled in.
    const legacy = await historyRow(ctx, { ageMs: 60_000 });
    await writeFile(path.join(dir, legacy), "legacy body");
    await utimes(path.join(dir, legacy), old, old);

    const report = await pruneRequestHistory(db, { now: new Date(), limits: roomy, dir });
    expect(report.orphans).toBe(2);
    expect([orphan, young, partial, "notes.txt", legacy].map((n) => existsSync(path.join(dir, n)))).toEqual([false, true, false, true, true]);
    const [row] = await db.select({ downloadBytes: requestRuns.downloadBytes }).from(requestRuns).where(eq(requestRuns.id, legacy));
    expect(row.downloadBytes).toBe("legacy body".length);
  });

  it("says how long entries are kept", () => {
    expect(describeHistoryRetention({ historyDays: 30, historyMaxBytes: 500 * MB, downloadsDays: 7, downloadsMaxBytes: 10 * 1024 * MB })).toBe(
      "Entries are kept 30 days, up to 500 MB per team (the oldest go first); large downloads are kept 7 days, up to 10 GB per team.",
    );
  });
});
