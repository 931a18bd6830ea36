/**
 * Opens the embedded database in PLUGBOARD_DATA_DIR through db/client, as every app process does, for the
 * data-folder lock test. With a note argument: stores it, prints "ready", answers each "read" line on stdin
 * with the stored notes (JSON) and exits when stdin closes. Without one: prints the stored notes and exits.
 *   node --import tsx db/testing/embedded-db-process.ts [note]
 */
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db/client";
import { DataDirLockedError } from "@/db/data-dir-lock";

async function storedNotes(): Promise<string[]> {
  const db = await getDb();
  const result = await db.execute(sql`select note from lock_probe order by note`);
  return (result as unknown as { rows: { note: string }[] }).rows.map((row) => row.note);
}

async function main() {
  const db = await getDb();
  await db.execute(sql`create table if not exists lock_probe (note text not null)`);
  const note = process.argv[2];
  if (!note) {
    process.stdout.write(`${JSON.stringify(await storedNotes())}\n`);
    return;
  }
  await db.execute(sql`insert into lock_probe (note) values (${note})`);
  process.stdout.write("ready\n");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "read") process.stdout.write(`${JSON.stringify(await storedNotes())}\n`);
  }
}

try {
  await main();
  await closeDb();
} catch (error) {
  console.error(error instanceof DataDirLockedError ? error.message : error);
  process.exitCode = 1;
}
