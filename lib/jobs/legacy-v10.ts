import "server-only";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database } from "@/db";

/**
 * pg-boss 11 rewrote its tables and ships no migration from pg-boss 10's (schema version 24); started on
 * such a schema it refuses to run. Before the queue starts, a v10 schema is renamed aside so pg-boss
 * installs a fresh one under the configured name; once the app's queues exist, its unfinished jobs are
 * moved over and the old schema is dropped.
 */

const LAST_V10_SCHEMA_VERSION = 24;

/** Renames a pg-boss 10 schema to `<schema>_v10` and returns that name, or null when there is none. */
export async function setAsideV10Schema(db: Database, schema: string): Promise<string | null> {
  const legacy = `${schema}_v10`;
  // to_regclass answers null, rather than failing, when the schema or its version table is missing.
  const [table] = rowsOf<{ name: string | null }>(await db.execute(sql`select to_regclass(${`${schema}.version`})::text as name`));
  if (!table?.name) return null;
  const [found] = rowsOf<{ version: number }>(await db.execute(sql`select version from ${sql.identifier(schema)}.version`));
  const version = Number(found?.version);
  if (!version || version > LAST_V10_SCHEMA_VERSION) return null;
  await db.execute(sql`alter schema ${sql.identifier(schema)} rename to ${sql.identifier(legacy)}`);
  console.warn(`[plugboard] job queue: moved the pg-boss 10 schema "${schema}" aside to "${legacy}" to carry its jobs over.`);
  return legacy;
}

type LegacyJob = {
  name: string;
  data: object | null;
  state: "created" | "retry" | "active";
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  start_after: Date | string;
  expire_seconds: number;
  dead_letter: string | null;
};

/**
 * Moves the unfinished jobs of a set-aside v10 schema into the running queue, then drops that schema.
 * Jobs waiting to run are sent again with their options; a job that was active belonged to a worker of
 * the old version, which is gone, so it goes where an expired job goes: its dead-letter queue, if any.
 * Rows are taken with DELETE … RETURNING, so instances starting together each move different jobs.
 */
export async function moveV10Jobs(db: Database, boss: PgBoss, legacySchema: string): Promise<number> {
  const known = new Set((await boss.getQueues()).map((q) => q.name));
  const taken = rowsOf<LegacyJob>(
    await db.execute(sql`
    delete from ${sql.identifier(legacySchema)}.job
    where state in ('created', 'retry', 'active')
    returning name, data, state::text as state, retry_limit, retry_delay, retry_backoff, start_after,
      extract(epoch from expire_in)::int as expire_seconds, dead_letter`),
  );
  let moved = 0;
  for (const job of taken) {
    const target = job.state === "active" ? job.dead_letter : job.name;
    if (!target || !known.has(target)) continue;
    const startAfter = new Date(job.start_after);
    await boss.send(target, job.data, {
      retryLimit: job.retry_limit,
      retryDelay: job.retry_delay,
      retryBackoff: job.retry_backoff,
      expireInSeconds: Math.max(1, job.expire_seconds),
      ...(job.dead_letter && known.has(job.dead_letter) ? { deadLetter: job.dead_letter } : {}),
      ...(job.state !== "active" && startAfter.getTime() > Date.now() ? { startAfter } : {}),
    });
    moved++;
  }
  await db.execute(sql`drop schema if exists ${sql.identifier(legacySchema)} cascade`);
  if (moved) console.warn(`[plugboard] job queue: carried ${moved} unfinished job(s) over from pg-boss 10.`);
  return moved;
}

/** Both drivers (node-postgres and PGlite) answer a raw query with its rows in `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
