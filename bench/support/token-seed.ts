/**
 * Seeds the token bench's database: empties it, migrates, and registers one team with a
 * client_credentials application; prints {"clientId","clientSecret"} as one JSON line.
 * Run as `node --conditions=react-server --import tsx bench/support/token-seed.ts` with DATABASE_URL set
 * (the app's modules are `server-only`); bench/cases/token.ts starts it.
 */
import { Client } from "pg";
import { resetDatabase } from "../../e2e/support/test-database";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
await createDatabaseIfMissing(url);
await resetDatabase(url);
const { migrateDatabase } = await import("@/db/migrate");
const { closeDb } = await import("@/db/client");
const { makeTeamContext } = await import("@/lib/testing/factories");
const { makeClient } = await import("@/lib/oauth-server/test-helpers");
await migrateDatabase();
const ctx = await makeTeamContext("admin");
const app = await makeClient(ctx, { role: "member", scopes: ["requests:run"] });
await closeDb();
process.stdout.write(`${JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret })}\n`);

async function createDatabaseIfMissing(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
