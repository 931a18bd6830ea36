import { closeDb, getDatabaseHandle } from "@/db/client";
import { DataDirLockedError } from "@/db/data-dir-lock";
import { migrateDatabase } from "@/db/migrate";
import { EnvError, getEnv } from "@/lib/config/env";

/** `npm run db:migrate`: applies db/migrations to DATABASE_URL, or to the embedded database. */
export async function runMigrations() {
  const env = getEnv();
  const { driver } = await getDatabaseHandle();
  await migrateDatabase();
  await closeDb();
  console.log(`[plugboard] database is up to date (${driver === "pglite" ? `embedded, in ${env.dataDir}` : "Postgres server"})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runMigrations().catch((error) => {
    console.error(error instanceof EnvError || error instanceof DataDirLockedError ? error.message : error);
    process.exit(1);
  });
}
