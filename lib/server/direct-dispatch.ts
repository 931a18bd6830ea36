import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerAddress } from "./node-bridge";

/**
 * The hand-over between the app's code, compiled by Next.js, and the production server (scripts/serve.ts),
 * which is not: instrumentation.ts publishes the direct routes here when the server process starts, and
 * the server (which reads `globalThis.__plugboardDirectRoutes`) asks them first for every request. `false` means "not mine": Next.js answers it.
 */
export type DirectDispatch = (req: IncomingMessage, res: ServerResponse, address: ServerAddress) => Promise<boolean>;

declare global {
  var __plugboardDirectRoutes: DirectDispatch | undefined;
}

/** Every direct route's path starts with one of these (direct-routes.test.ts checks). */
export const DIRECT_ROUTE_PREFIXES = ["/api/v1/", "/oauth2/"] as const;

/**
 * Loaded on the first request under one of the prefixes, so neither the server's start nor its first
 * page waits for the API's modules.
 */
export function publishDirectRoutes(load: () => Promise<DirectDispatch>): void {
  let loaded: Promise<DirectDispatch> | undefined;
  globalThis.__plugboardDirectRoutes = async (req, res, address) => {
    const url = req.url ?? "/";
    if (!DIRECT_ROUTE_PREFIXES.some((prefix) => url.startsWith(prefix))) return false;
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return (await loaded)(req, res, address);
  };
}
