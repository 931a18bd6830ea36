/**
 * Seeds the token bench's database: empties it, migrates, and registers one team with a
 * client_credentials application; prints {"clientId","clientSecret"} as one JSON line.
 * Run as `node --conditions=react-server --import tsx bench/support/token-seed.ts` with DATABASE_URL set
 * (the app's modules are `server-only`); bench/cases/token.ts starts it.
 */
import { ensureBenchDatabase } from "./app-process";
import { resetDatabase } from "../../e2e/support/test-database";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
await ensureBenchDatabase(url);
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
