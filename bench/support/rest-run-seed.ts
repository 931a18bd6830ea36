/**
 * Seeds bench/cases/rest-run.ts's database: empties it, migrates, and creates a team with a
 * client-credentials application (requests:run) and an API-key connection allowed to reach BENCH_UPSTREAM. Prints one JSON line with
 * the client's credentials and the connection id. Needs `--conditions=react-server` (server-only modules).
 *   node --import tsx --conditions=react-server bench/support/rest-run-seed.ts   (DATABASE_URL set)
 */
export {};

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const { resetDatabase } = await import("../../e2e/support/test-database");
await resetDatabase(url);
const { migrateDatabase } = await import("@/db/migrate");
const { closeDb, getDb } = await import("@/db/client");
const { makeTeamContext } = await import("@/lib/testing/factories");
const { makeClient } = await import("@/lib/oauth-server/test-helpers");
const { createConnection } = await import("@/lib/connections");
const { connectionInputSchema } = await import("@/lib/connections/schemas");
await migrateDatabase();
const ctx = await makeTeamContext("admin");
const app = await makeClient(ctx, { role: "member", scopes: ["requests:run"] });
const connection = await createConnection(
  await getDb(),
  ctx,
  connectionInputSchema.parse({
    type: "api_key",
    name: "Bench key",
    apiKey: "bench-api-key-0123456789",
    testUrl: `${process.env.BENCH_UPSTREAM}/small`,
  }),
);
await closeDb();
process.stdout.write(`${JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret, connectionId: connection.id })}\n`);
