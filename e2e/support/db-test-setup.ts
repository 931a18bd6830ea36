import { readFile } from "node:fs/promises";
import { afterAll } from "vitest";
import { closeDb, type DatabaseHandle, type Database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import * as schema from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { restoreEnvironmentAfterFile } from "./test-file-environment";

// Runs before each *.db.test.ts file: point the app's database module at the project's database
// (an in-memory PGlite, or the Postgres test server) and bring it to the latest migration.
//
// The db projects run their files without isolation (vitest.config.ts): one worker process runs file after
// file with its modules already loaded, and on PGlite with the database the previous file used, as all files
// share one database on Postgres. What a file changes in process.env is undone after it, so the next file
// starts from the same environment.
restoreEnvironmentAfterFile();
if (process.env.PLUGBOARD_TEST_DB === "pglite") {
  delete process.env.DATABASE_URL;
  process.env.PLUGBOARD_DATA_DIR = "memory://";
  const image = process.env.PLUGBOARD_TEST_PGLITE_IMAGE;
  // The run's migrated image (e2e/support/vitest-global-pglite.ts), opened in memory as the app's database:
  // the same engine and schema as a fresh `memory://` one, without initdb; once per worker.
  if (image) globalThis.__plugboardDb ??= openPgliteImage(image);
} else {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  process.env.AUTH_SECRET ??= "test-auth-secret-that-is-long-enough-0123456789";
  process.env.PLUGBOARD_ENCRYPTION_KEY ??= "test:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
}
resetEnvCache();
await migrateDatabase();

afterAll(async () => {
  // What the file started and left running (workers, the job queue on its own schema) would serve the next one.
  if (globalThis.__plugboardFlowWorkers) await (await import("@/lib/flows/worker")).stopFlowWorkers();
  if (globalThis.__plugboardHealthWorkers) await (await import("@/lib/health/worker")).stopHealthWorkers();
  if (globalThis.__plugboardAlertWorkers) await (await import("@/lib/alerts/worker")).stopAlertWorkers();
  if (globalThis.__plugboardBoss) await (await import("@/lib/jobs")).stopQueue({ graceful: false });
  // PGlite's database stays open for the worker's next file; a Postgres pool is cheap to open again.
  if (process.env.PLUGBOARD_TEST_DB !== "pglite") await closeDb();
});

async function openPgliteImage(file: string): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = await PGlite.create({ loadDataDir: new Blob([await readFile(file)]) });
  return { db: drizzle(client, { schema }) as unknown as Database, driver: "pglite", close: () => client.close() };
}
