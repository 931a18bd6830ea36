export {};
/**
 * Inserts API key connections into a team of the e2e database (run by e2e/connections-list.spec.ts under
 * --conditions=react-server, with the e2e server's key so the rows are sealed as the app seals them):
 *   DATABASE_URL=… PLUGBOARD_ENCRYPTION_KEY=… node --import tsx --conditions=react-server e2e/support/seed-connections.ts <teamId> <name>…
 * Statuses cycle through verified, failed, saved-not-checked and needs-reauthorization, in the names' order.
 */
const [teamId, ...names] = process.argv.slice(2);
const { getDb } = await import("@/db");
const { closeDb } = await import("@/db/client");
const { connections } = await import("@/db/schema");
const { apiKeyConnectionRow } = await import("@/lib/testing/connection-rows");
const statuses = ["verified", "failed", "never_verified", "needs_reauthorization"] as const;
const t0 = Date.now() - names.length * 1000;
const db = await getDb();
await db
  .insert(connections)
  .values(
    names.map((name, i) => apiKeyConnectionRow({ teamId, createdBy: null }, name, { status: statuses[i % 4], createdAt: new Date(t0 + i * 1000) })),
  );
await closeDb();
