/**
 * Next.js calls register() once when a server process starts, and serves no request before it returns.
 * Under `npm start` (PLUGBOARD_PREPARE_DATABASE=1) the server migrates and checks the stored encryption keys
 * here, so the embedded database is opened once, by the process that serves it. Then Plugboard publishes
 * its direct routes (the REST API and OAuth endpoints scripts/serve.ts answers without Next.js's pipeline)
 * and starts its flow workers and alert delivery workers (pg-boss), in the Node.js runtime only and never
 * during `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.PLUGBOARD_PREPARE_DATABASE === "1") await prepareDatabaseOrExit();
  const { publishDirectRoutes } = await import("./lib/server/direct-dispatch");
  publishDirectRoutes(async () => (await import("./lib/server/direct-routes")).createDirectDispatch());
  if (process.env.PLUGBOARD_WORKERS === "off") return;
  const { startFlowWorkers } = await import("./lib/flows/worker");
  try {
    await startFlowWorkers();
  } catch (error) {
    // The app still serves pages; runs stay queued until a process with working workers picks them up.
    console.error("[plugboard] flow workers did not start:", error instanceof Error ? error.message : error);
  }
  // Connection health checks and keep-alive refreshes (lib/health), on the same queue.
  const { startHealthWorkers } = await import("./lib/health/worker");
  try {
    await startHealthWorkers();
  } catch (error) {
    console.error("[plugboard] health workers did not start:", error instanceof Error ? error.message : error);
  }
  const { startAlertWorkers } = await import("./lib/alerts/worker");
  try {
    await startAlertWorkers();
  } catch (error) {
    // Alerts stay queued (pending in the delivery log) until a process with working workers sends them.
    console.error("[plugboard] alert workers did not start:", error instanceof Error ? error.message : error);
  }
}

/** Migrations, then the key check; a refusal stops the server with one clear line, before any answer. */
async function prepareDatabaseOrExit() {
  const [{ migrateDatabase }, { checkEncryptionKeys, KeyCheckError }, { DataDirLockedError }] = await Promise.all([
    import("./db/migrate"),
    import("./lib/connections/check-keys"),
    import("./db/data-dir-lock"),
  ]);
  try {
    await migrateDatabase();
    await checkEncryptionKeys();
  } catch (error) {
    const known = error instanceof KeyCheckError || error instanceof DataDirLockedError;
    console.error(known ? `[plugboard] cannot start: ${(error as Error).message}` : error);
    process.exit(1);
  }
}
