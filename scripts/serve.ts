import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
// Types only: the build compiles this file alone (scripts/build-fingerprint.ts), so it imports nothing of ours.
import type { DirectDispatch } from "../lib/server/direct-dispatch";
import type { ServerAddress } from "../lib/server/node-bridge";

/**
 * The production server (`npm start` runs it): Next.js's request handler behind a node:http server of our
 * own, which first offers each request to the direct routes (lib/server/direct-routes.ts: the REST API and
 * the OAuth endpoints, published by instrumentation.ts when Next.js prepares). Everything else — pages,
 * server actions, assets — is Next.js's as under `next start`.
 *   node .next/plugboard-serve.mjs --port 3000 [--hostname 127.0.0.1]   (this file as the build compiles it)
 */
const { values } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;
Object.assign(process.env, { NODE_ENV: "production" }); // as `next start` sets it
const startedAt = Date.now();

// Imported after NODE_ENV is set: Next.js reads it when its modules load.
const { default: next } = await import("next");
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const app = next({ dev: false, dir: projectDir, hostname, port });
const nextHandler = app.getRequestHandler();
await app.prepare();

const address: ServerAddress = { hostname: hostname ?? "localhost", port };
const direct: DirectDispatch | undefined = globalThis.__plugboardDirectRoutes;
const server = http.createServer((req, res) => {
  serveRequest(req, res).catch((error: unknown) => {
    // Next.js answers its own errors; an exception here must not take the whole server down.
    console.error("[plugboard] request failed:", error instanceof Error ? error.name : "unknown");
    if (res.headersSent) res.destroy();
    else res.writeHead(500).end();
  });
});

async function serveRequest(req: http.IncomingMessage, res: http.ServerResponse) {
  try {
    if (direct && (await direct(req, res, address))) return;
  } catch (error) {
    // The direct routes failed to load: nothing was answered yet, so Next.js's route file answers instead.
    console.error("[plugboard] direct routes unavailable:", error instanceof Error ? error.message : "unknown");
  }
  await nextHandler(req, res);
}

server.listen(port, hostname, () => {
  console.log(`✓ Ready in ${Date.now() - startedAt}ms on http://${hostname ?? "localhost"}:${port}`);
});

// As `next start` does: stop taking requests, let Next.js finish its own (after() callbacks), then exit
// with the signal's code. A second signal while that runs changes nothing (a default handler would kill
// the process at once, before a profiler or Next.js could finish).
let stopping = false;
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    void app
      .close()
      .catch(() => {})
      .finally(() => process.exit(code));
  });
}
