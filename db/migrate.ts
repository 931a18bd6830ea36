import path from "node:path";
import { getEnv } from "@/lib/config/env";
import { getDatabaseHandle } from "./client";

export const migrationsFolder = path.join(process.cwd(), "db/migrations");

// Any constant works; it only has to be the same for every instance sharing the database.
const MIGRATION_LOCK_KEY = 7_203_114_551;

/** Applies the checked-in migrations. Safe to run from several app instances at once. */
export async function migrateDatabase(): Promise<void> {
  const handle = await getDatabaseHandle();
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder });
    return;
  }
  const env = getEnv();
  const { Client } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const client = new Client({ connectionString: env.databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
