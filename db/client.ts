import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { getEnv } from "@/lib/config/env";
import { holdDataDirLock } from "./data-dir-lock";
import * as schema from "./schema";

/** The one database type the app codes against: node-postgres and PGlite both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: data-access functions accept either. */
export type Executor = Pick<Database, "select" | "selectDistinct" | "insert" | "update" | "delete" | "execute" | "transaction" | "query" | "_">;

export type DatabaseHandle = { db: Database; driver: "postgres" | "pglite"; close: () => Promise<void> };
type Handle = DatabaseHandle;

declare global {
  // Next.js may evaluate this module in several bundles of one process; there must be one pool / one PGlite.
  var __plugboardDb: Promise<Handle> | undefined;
}

export function getDatabaseHandle(): Promise<Handle> {
  return (globalThis.__plugboardDb ??= openDatabase());
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

export async function closeDb() {
  const handle = globalThis.__plugboardDb;
  globalThis.__plugboardDb = undefined;
  if (handle) await (await handle).close();
}

async function openDatabase(): Promise<Handle> {
  const env = getEnv();
  if (env.databaseUrl) {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const pool = new Pool({ connectionString: env.databaseUrl, max: 10 });
    return { db: drizzle(pool, { schema }) as unknown as Database, driver: "postgres", close: () => pool.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // Refuses (DataDirLockedError) when another process has the folder open.
  await holdDataDirLock(env.dataDir);
  const dataDir = env.dataDir.startsWith("memory://") ? env.dataDir : path.join(path.resolve(env.dataDir), "pg");
  const client = await PGlite.create(dataDir);
  return { db: drizzle(client, { schema }) as unknown as Database, driver: "pglite", close: () => client.close() };
}
