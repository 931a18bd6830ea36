import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { holdDataDirLock } from "./data-dir-lock";

// Real processes on one data folder: db/testing/embedded-db-process.ts opens the embedded database the
// way every app process does (db/client), and the scripts are the ones npm runs. One folder for the whole
// file: creating an embedded database costs seconds of CPU.
const dataDir = mkdtempSync(path.join(tmpdir(), "plugboard-lock-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const entries = {
  db: ["--import", "tsx", "db/testing/embedded-db-process.ts"],
  migrate: ["--import", "tsx", "scripts/migrate.ts"],
  rotateKeys: ["--conditions=react-server", "--import", "tsx", "scripts/rotate-keys.ts"],
};

function start(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcessWithoutNullStreams {
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    PLUGBOARD_DATA_DIR: dataDir,
    // Given, so that no process writes secrets.json (and warns about it) in the middle of the test.
    AUTH_SECRET: "test-auth-secret-that-is-long-enough-0123456789",
    PLUGBOARD_ENCRYPTION_KEY: "test:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  };
  delete childEnv.DATABASE_URL;
  return spawn(process.execPath, args, { env: childEnv });
}

/** Runs a process to its end. */
async function run(args: string[], env?: NodeJS.ProcessEnv) {
  const child = start(args, env);
  child.stdin.end();
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr, pid: child.pid };
}

/** Starts a process that stores `note` and keeps the database open until its stdin closes. */
async function startHolder(note: string) {
  const child = start([...entries.db, note]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done) throw new Error("the holder exited");
    return line.value;
  };
  expect(await nextLine()).toBe("ready");
  return {
    pid: child.pid,
    child,
    read: async (): Promise<string[]> => {
      child.stdin.write("read\n");
      return JSON.parse(await nextLine()) as string[];
    },
    exited: new Promise<number | null>((resolve) => child.once("exit", resolve)),
  };
}

describe("the data folder lock", () => {
  it("refuses a second process, db:migrate and keys:rotate while one has the folder open, and the data survives", async () => {
    const holder = await startHolder("written by the first");

    const [second, migrate, rotateKeys] = await Promise.all([
      run([...entries.db, "written by the second"]),
      run(entries.migrate),
      run(entries.rotateKeys),
    ]);
    for (const refused of [second, migrate, rotateKeys]) {
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${dataDir} is in use by process ${holder.pid} (db/testing/embedded-db-process.ts`);
      expect(refused.stderr).toContain("run several instances on a Postgres server (set DATABASE_URL)");
    }

    expect(await holder.read()).toEqual(["written by the first"]);
    holder.child.stdin.end();
    expect(await holder.exited).toBe(0);

    // Both stopped: the folder opens, with what the first wrote and nothing from the refused second.
    const reader = await run(entries.db);
    expect(reader.stderr).toBe("");
    expect(reader.code).toBe(0);
    expect(JSON.parse(reader.stdout)).toEqual(["written by the first"]);
  }, 240_000);

  it("is taken over when its holder crashed", async () => {
    const holder = await startHolder("before the crash");
    holder.child.kill("SIGKILL");
    await holder.exited;
    const lockFile = path.join(dataDir, "plugboard.lock");
    expect(JSON.parse(readFileSync(lockFile, "utf8")).pid).toBe(holder.pid);

    const next = await run(entries.db);
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(JSON.parse(readFileSync(lockFile, "utf8")).pid).toBe(next.pid);
  }, 240_000);

  it("lets the processes its holder starts open the database, and no other", async () => {
    // What `npm start` does before it starts the Next.js server.
    expect(await holdDataDirLock(dataDir, "this test")).toEqual(expect.any(Number));

    const started = await run([...entries.db, "from a child"]);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);

    const { PLUGBOARD_DATA_DIR_LOCK_HOLDER, ...unrelatedEnv } = process.env;
    expect(PLUGBOARD_DATA_DIR_LOCK_HOLDER).toBe(String(process.pid));
    const unrelated = await run(entries.db, unrelatedEnv);
    expect(unrelated.code).toBe(1);
    expect(unrelated.stderr).toContain(`is in use by process ${process.pid} (this test,`);
  }, 240_000);

  it("is not needed for in-memory databases", async () => {
    expect(await holdDataDirLock("memory://")).toBeUndefined();
  });
});
