/**
 * Next.js calls register() once when a server process starts. Plugboard starts its flow workers (pg-boss)
 * here, in the Node.js runtime only and never during `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.PLUGBOARD_WORKERS === "off") return;
  const { startFlowWorkers } = await import("./lib/flows/worker");
  try {
    await startFlowWorkers();
  } catch (error) {
    // The app still serves pages; runs stay queued until a process with working workers picks them up.
    console.error("[plugboard] flow workers did not start:", error instanceof Error ? error.message : error);
  }
}
