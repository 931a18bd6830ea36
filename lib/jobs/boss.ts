import "server-only";
import { fromPglite, PgBoss, type ConstructorOptions, type PGliteLike } from "pg-boss";
import { getDatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/config/env";
import { moveV10Jobs, setAsideV10Schema } from "./legacy-v10";

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

declare global {
  var __plugboardBoss: Promise<PgBoss> | undefined;
  /** A pg-boss 10 schema set aside at start-up whose jobs are still to be carried over. */
  var __plugboardLegacyQueueSchema: string | undefined;
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
  await boss?.stop({ graceful: options.graceful ?? true, timeout: options.timeoutMs ?? 10_000, close: true });
}

async function openQueue(options: QueueOptions): Promise<PgBoss> {
  const handle = await getDatabaseHandle();
  const legacy = await setAsideV10Schema(handle.db, queueSchema());
  if (legacy) globalThis.__plugboardLegacyQueueSchema = legacy;
  const maintenanceIntervalSeconds = options.maintenanceIntervalSeconds ?? 30;
  const common: ConstructorOptions = {
    schema: queueSchema(),
    // pg-boss 11+ fails expired jobs in its supervise/monitor pass (default every 60 s) and deletes
    // finished ones in its maintenance pass: all three follow the one interval we choose.
    superviseIntervalSeconds: maintenanceIntervalSeconds,
    monitorIntervalSeconds: maintenanceIntervalSeconds,
    maintenanceIntervalSeconds,
  };
  const boss =
    handle.driver === "postgres"
      ? new PgBoss({ ...common, connectionString: getEnv().databaseUrl, max: 4, application_name: "plugboard-jobs" })
      : // pg-boss's own PGlite adapter: parameterised statements through query(), scripts through exec().
        new PgBoss({ ...common, backend: "pglite", db: fromPglite((handle.db as unknown as { $client: PGliteLike }).$client) });
  boss.on("error", (error: Error) => console.error("[plugboard] job queue:", error.message));
  await boss.start();
  return boss;
}

/**
 * Carries the jobs of a pg-boss 10 schema set aside at start-up over to the running queue. Called by the
 * queue's users once their queues exist (jobs of a queue that does not exist are dropped).
 */
export async function carryOverV10Jobs(boss: PgBoss): Promise<void> {
  const legacy = globalThis.__plugboardLegacyQueueSchema;
  if (!legacy) return;
  globalThis.__plugboardLegacyQueueSchema = undefined;
  await moveV10Jobs((await getDatabaseHandle()).db, boss, legacy);
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
