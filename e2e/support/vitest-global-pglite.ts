import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder } from "@/db/migrate";

/**
 * One migrated PGlite for the db:pglite project, saved as a data-directory image that each test file loads
 * (e2e/support/db-test-setup.ts). A new in-memory PGlite runs initdb, seconds of CPU per file on this machine;
 * loading the image skips it and the migrations. Tests read its path from PLUGBOARD_TEST_PGLITE_IMAGE.
 */
export default async function setup(project: TestProject) {
  if (!project.vitest.projects.some((p) => p.name.startsWith("db:pglite"))) return;
  const client = await PGlite.create("memory://");
  try {
    await migrate(drizzle(client), { migrationsFolder });
    const image = await client.dumpDataDir("none");
    const dir = await mkdtemp(path.join(os.tmpdir(), "plugboard-pglite-"));
    const file = path.join(dir, "migrated.tar");
    await writeFile(file, Buffer.from(await image.arrayBuffer()));
    process.env.PLUGBOARD_TEST_PGLITE_IMAGE = file;
    return async () => {
      await rm(dir, { recursive: true, force: true });
    };
  } finally {
    await client.close();
  }
}
