import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Every e2e/support/vitest-global-*.ts file starts a real peer (httpbin, the OAuth test server, the
// test databases) once for the whole run; tests read their addresses from process.env.
const globalSetup = readdirSync(path.resolve("e2e/support"))
  .filter((f) => f.startsWith("vitest-global-") && f.endsWith(".ts"))
  .map((f) => `e2e/support/${f}`);

// Inline projects do not inherit the root's test options, so each one spreads these; without them a
// project falls back to vitest's 5 s, which a busy 2-core machine exceeds.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

const shared = {
  alias: {
    "@": path.resolve("."),
    "server-only": path.resolve("e2e/support/server-only-stub.ts"),
  },
};

// Most files spend their time waiting on a peer, a database or a timer, not on the CPU. Vitest's default
// (cores - 1) is a single worker on a 2-core machine, which runs the files one after another with a core
// idle; one worker per core, and at least two, keeps both busy. Files were already written to share the
// run (each its own team and queue; the Postgres migrations under a lock).
const maxWorkers = Math.max(2, os.availableParallelism());

// A *.db.test.ts file runs against both engines, except where only one matters for what it tests: every
// file costs a migrated database on each engine, and these files skipped every test on the other one or
// were among the slowest of the run (vitest's JSON reporter). Postgres only: several app processes on one
// database (PGlite is one process's). PGlite only: start-up checks and key rotation on a data directory, and
// two files whose subject is the service logic over the same drizzle queries (PGlite is Postgres itself):
// the masking property tests and the REST connection-type round trips (lib/api/routes/connections.db.test.ts
// keeps the REST connection routes on both).
const POSTGRES_ONLY = ["lib/flows/multi-process.db.test.ts", "lib/connections/refresh-processes.db.test.ts"];
// Files that read or re-encrypt every stored secret of the instance: on a database shared with other files
// they would meet those files' rows (under other keys), so each gets a fresh PGlite of its own.
const OWN_DATABASE = ["lib/connections/check-keys.db.test.ts", "lib/connections/rotate-keys.db.test.ts", "lib/connections/start-checks.db.test.ts"];
const PGLITE_ONLY = [...OWN_DATABASE, "lib/connections/masking-paths.db.test.ts", "lib/api/routes/connection-types.db.test.ts"];

// The db projects run files without isolation: a worker runs file after file with the app's modules already
// loaded and (PGlite) the database the previous file used, as every file shares one database on Postgres and
// was written for it (its own team, user and queue schema). A fresh module graph and a fresh PGlite per file
// were half of the suite's time (vitest's setup and import figures). e2e/support/db-test-setup.ts undoes each
// file's changes to process.env.
const dbProject = (name: string, env: Record<string, string>, files: { include: string[]; exclude: string[]; isolate: boolean }) => ({
  resolve: { alias: shared.alias },
  test: {
    ...timeouts,
    name,
    isolate: files.isolate,
    include: files.include,
    exclude: ["node_modules/**", ...files.exclude],
    env,
    setupFiles: ["e2e/support/db-test-setup.ts"],
    // Auth.js imports `next/server` without the extension Node's ESM loader needs: Vite resolves it instead.
    server: { deps: { inline: ["next-auth"] } },
  },
});

export default defineConfig({
  resolve: { alias: shared.alias },
  test: {
    globalSetup,
    maxWorkers,
    ...timeouts,
    projects: [
      {
        resolve: { alias: shared.alias },
        test: {
          ...timeouts,
          name: "unit",
          // Without isolation like the db projects (below); e2e/support/unit-test-setup.ts undoes each file's
          // process.env changes.
          isolate: false,
          setupFiles: ["e2e/support/unit-test-setup.ts"],
          include: ["lib/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts", "e2e/support/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      dbProject(
        "db:pglite",
        { PLUGBOARD_TEST_DB: "pglite" },
        { include: ["**/*.db.test.ts"], exclude: [...POSTGRES_ONLY, ...OWN_DATABASE], isolate: false },
      ),
      dbProject("db:pglite-own", { PLUGBOARD_TEST_DB: "pglite" }, { include: OWN_DATABASE, exclude: [], isolate: true }),
      dbProject("db:postgres", { PLUGBOARD_TEST_DB: "postgres" }, { include: ["**/*.db.test.ts"], exclude: PGLITE_ONLY, isolate: false }),
    ],
  },
});
