import type { TestProject } from "vitest/node";
import { startPrivatePostgres } from "./private-postgres";
import { redactPassword, resetDatabase } from "./test-database";

/**
 * The Postgres test database for the db:postgres project: TEST_DATABASE_URL when set (`npm test` sets
 * it to its private server), else a private server started here for this run. Emptied once per run;
 * each test file then migrates it (under a lock).
 */
export default async function setup(project: TestProject) {
  // `--project unit` or `--project db:pglite` alone need no Postgres.
  if (!project.vitest.projects.some((p) => p.name === "db:postgres")) return;
  let stop: (() => Promise<void>) | undefined;
  if (!process.env.TEST_DATABASE_URL) {
    const server = await startPrivatePostgres(["plugboard_test"]);
    process.env.TEST_DATABASE_URL = server.urlFor("plugboard_test");
    stop = server.stop;
  }
  const url = process.env.TEST_DATABASE_URL;
  try {
    await resetDatabase(url);
  } catch (error) {
    await stop?.();
    throw new Error(
      `The db:postgres tests need a Postgres server at TEST_DATABASE_URL (${redactPassword(url)}): ${(error as Error).message}. ` +
        "See README › Test.",
    );
  }
  return stop;
}
