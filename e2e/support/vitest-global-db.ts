import { resetDatabase } from "./test-database";

export const DEFAULT_TEST_DATABASE_URL = "postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_test";

/** Empties the Postgres test database once per run; each test file then migrates it (under a lock). */
export default async function setup() {
  const url = (process.env.TEST_DATABASE_URL ??= DEFAULT_TEST_DATABASE_URL);
  try {
    await resetDatabase(url);
  } catch (error) {
    throw new Error(
      `The db:postgres tests need a Postgres server at TEST_DATABASE_URL (${url}): ${(error as Error).message}. ` +
        "See README › Testing.",
    );
  }
}
