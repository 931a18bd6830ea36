import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ensureFlowQueues, LOST_RUN_QUEUE, RUN_QUEUE } from "@/lib/flows/queue";
import { getQueue, stopQueue } from "@/lib/jobs";

const schema = "pgboss_test_legacy";
process.env.PLUGBOARD_JOBS_SCHEMA = schema;

afterAll(async () => {
  await stopQueue({ graceful: false });
});

/** The parts of pg-boss 10's tables (schema version 24) that a v10 install holds, as v10 created them. */
async function makeV10Schema() {
  const db = await getDb();
  for (const name of [schema, `${schema}_v10`]) await db.execute(sql`drop schema if exists ${sql.identifier(name)} cascade`);
  await db.execute(sql.raw(`create schema ${schema}`));
  await db.execute(
    sql.raw(`create table ${schema}.version (version int primary key, maintained_on timestamptz, cron_on timestamptz, monitored_on timestamptz)`),
  );
  await db.execute(sql.raw(`insert into ${schema}.version (version) values (24)`));
  await db.execute(sql.raw(`create type ${schema}.job_state as enum ('created', 'retry', 'active', 'completed', 'cancelled', 'failed')`));
  await db.execute(
    sql.raw(`create table ${schema}.job (
      id uuid not null default gen_random_uuid(), name text not null, priority integer not null default 0, data jsonb,
      state ${schema}.job_state not null default 'created', retry_limit integer not null default 2,
      retry_count integer not null default 0, retry_delay integer not null default 0, retry_backoff boolean not null default false,
      start_after timestamptz not null default now(), started_on timestamptz, singleton_key text, singleton_on timestamp,
      expire_in interval not null default interval '15 minutes', created_on timestamptz not null default now(),
      completed_on timestamptz, keep_until timestamptz not null default now() + interval '14 days', output jsonb,
      dead_letter text, policy text)`),
  );
  await db.execute(
    sql.raw(`insert into ${schema}.job (name, data, state, retry_limit, expire_in, dead_letter) values
      ('flow-run', '{"runId":"waiting"}', 'created', 3, interval '65 seconds', 'flow-run-lost'),
      ('flow-run', '{"runId":"was-running"}', 'active', 0, interval '65 seconds', 'flow-run-lost'),
      ('flow-run', '{"runId":"finished"}', 'completed', 0, interval '65 seconds', 'flow-run-lost')`),
  );
}

describe("upgrading from pg-boss 10", () => {
  it("starts on a v10 schema and carries its unfinished jobs over: waiting ones to their queue, active ones to the dead-letter queue", async () => {
    await makeV10Schema();
    const boss = await getQueue({ maintenanceIntervalSeconds: 60 });
    await ensureFlowQueues(boss);

    const waiting = await boss.fetch<{ runId: string }>(RUN_QUEUE, { batchSize: 10, includeMetadata: true });
    expect(waiting.map((j) => j.data.runId)).toEqual(["waiting"]);
    expect(waiting[0].retryLimit).toBe(3);
    expect(waiting[0].expireInSeconds).toBe(65);
    const lost = await boss.fetch<{ runId: string }>(LOST_RUN_QUEUE, { batchSize: 10 });
    expect(lost.map((j) => j.data.runId)).toEqual(["was-running"]);

    const db = await getDb();
    const left = (await db.execute(sql`select to_regnamespace(${`${schema}_v10`})::text as name`)) as unknown as { rows: { name: string | null }[] };
    expect(left.rows[0].name).toBeNull();
  });
});
