import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";
import type { Database } from "@/db";
import { migrationsFolder } from "@/db/migrate";
import * as schema from "@/db/schema";

/**
 * For migration tests: an empty database of the suite's kind (PGlite or Postgres) brought to an older
 * migration, so a test writes rows the way that version's code did and then applies the rest.
 */

/**
 * A migration test opens a second database and runs every migration on it on top of its file's own:
 * about 25 s on a busy 2-core machine with one vitest worker, past 60 s with two workers and a build beside.
 */
export const MIGRATION_TEST_TIMEOUT_MS = 180_000;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A copy of the migrations folder whose journal stops at `lastIdx`. */
export function migrationsUpTo(lastIdx: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "plugboard-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(journalPath, JSON.stringify(journal));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An empty database of the suite's kind and a function that migrates it from a given folder. */
export async function emptyDatabase(): Promise<{ db: Database; migrate: (folder: string) => Promise<void> }> {
  if (process.env.PLUGBOARD_TEST_DB === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = await PGlite.create("memory://");
    cleanups.push(() => client.close());
    const db = drizzle(client, { schema });
    return { db: db as unknown as Database, migrate: (folder) => migrate(db, { migrationsFolder: folder }) };
  }
  const pg = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `${base.pathname.slice(1)}_mig_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  cleanups.push(async () => {
    await pool.end();
    await admin.query(`drop database if exists "${name}"`);
    await admin.end();
  });
  const db = drizzle(pool, { schema });
  return { db: db as unknown as Database, migrate: (folder) => migrate(db, { migrationsFolder: folder }) };
}
