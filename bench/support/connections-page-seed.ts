/**
 * The connections-page case's data (run under --conditions=react-server by the case): an emptied database,
 * migrated, one user in three teams: empty, 1,000 connections, and 10,000 connections with 100,000 history
 * rows and 1,000 flows (bench/seed.ts). Prints the ids as one JSON line.
 */
import { resetDatabase } from "../../e2e/support/test-database";
import { seedTeam, settleSeededTables } from "../seed";

const url = process.env.DATABASE_URL as string;
await resetDatabase(url);
const { migrateDatabase } = await import("@/db/migrate");
const { closeDb } = await import("@/db/client");
const { makeUser } = await import("@/lib/testing/factories");
await migrateDatabase();
const user = await makeUser("Bench User");
const started = performance.now();
const empty = await seedTeam(user.id, { connections: 0, history: 0, flows: 0 }, "Empty");
const thousand = await seedTeam(user.id, { connections: 1000, history: 0, flows: 0 });
const tenThousand = await seedTeam(user.id, { connections: 10_000, history: 100_000, flows: 1000 });
await settleSeededTables();
console.error(`[connections-page] seeded in ${Math.round(performance.now() - started)} ms`);
await closeDb();
console.log(JSON.stringify({ userId: user.id, empty: empty.teamId, thousand: thousand.teamId, tenThousand: tenThousand.teamId }));
