import { afterAll } from "vitest";
import { closeDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { resetEnvCache } from "@/lib/config/env";

// Runs before each *.db.test.ts file: point the app's database module at the project's database
// (an in-memory PGlite, or the Postgres test server) and bring it to the latest migration.
if (process.env.PLUGBOARD_TEST_DB === "pglite") {
  delete process.env.DATABASE_URL;
  process.env.PLUGBOARD_DATA_DIR = "memory://";
} else {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  process.env.AUTH_SECRET ??= "test-auth-secret-that-is-long-enough-0123456789";
  process.env.PLUGBOARD_ENCRYPTION_KEY ??= "test:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
}
resetEnvCache();
await migrateDatabase();

afterAll(async () => {
  await closeDb();
});
