import "server-only";
import PgBoss from "pg-boss";
import { getDatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/config/env";

/**
 * The app's job queue: pg-boss on the app's database. With DATABASE_URL it opens its own small pool, so
 * every app instance on that database shares the queue (FOR UPDATE SKIP LOCKED: a job goes to one
 * worker). On the embedded PGlite it runs its SQL through the app's one PGlite client (single process).
 */

export interface QueueOptions {
  /** How often an idle worker looks for jobs. */
  pollingIntervalSeconds?: number;
  /** How often expired jobs (dead workers) are failed or retried. */
  maintenanceIntervalSeconds?: number;
}

type PgliteLike = {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<Array<{ rows: unknown[] }>>;
};

declare global {
  var __plugboardBoss: Promise<PgBoss> | undefined;
}

/** One started pg-boss per process. */
export function getQueue(options: QueueOptions = {}): Promise<PgBoss> {
  return (globalThis.__plugboardBoss ??= openQueue(options).catch((error) => {
    globalThis.__plugboardBoss = undefined;
    throw error;
  }));
}

export async function stopQueue(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const pending = globalThis.__plugboardBoss;
  globalThis.__plugboardBoss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => null);
  // close only ends pg-boss's own pool; on PGlite the client belongs to the app's database module.
  await boss?.stop({ graceful: options.graceful ?? true, wait: true, timeout: options.timeoutMs ?? 10_000, close: true });
}

async function openQueue(options: QueueOptions): Promise<PgBoss> {
  const handle = await getDatabaseHandle();
  const common: PgBoss.ConstructorOptions = {
    schema: queueSchema(),
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
    monitorStateIntervalSeconds: 60,
    // Jobs are bookkeeping for flow runs, which keep their own history: keep finished jobs briefly.
    deleteAfterDays: 2,
  };
  const boss =
    handle.driver === "postgres"
      ? new PgBoss({ ...common, connectionString: getEnv().databaseUrl, max: 4, application_name: "plugboard-jobs" })
      : new PgBoss({ ...common, db: pgliteAdapter((handle.db as unknown as { $client: PgliteLike }).$client) });
  boss.on("error", (error: Error) => console.error("[plugboard] job queue:", error.message));
  await boss.start();
  return boss;
}

/**
 * The Postgres schema holding the queue tables. PLUGBOARD_JOBS_SCHEMA gives a separate queue on the same
 * database (test suites that run side by side); every instance that shares work must use the same one.
 */
export function queueSchema(): string {
  const name = process.env.PLUGBOARD_JOBS_SCHEMA || "pgboss";
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(name)) throw new Error("PLUGBOARD_JOBS_SCHEMA must be a lower-case Postgres name, like pgboss.");
  return name;
}

/**
 * pg-boss sends parameterised single statements and, for schema changes and maintenance, scripts of
 * several statements without parameters; PGlite takes the first with query() and the second with exec().
 */
export function pgliteAdapter(client: PgliteLike): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length) return { rows: (await client.query(text, values)).rows };
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}
