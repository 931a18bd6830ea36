import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerAddress } from "./node-bridge";

/**
 * The hand-over between the app's code, compiled by Next.js, and the production server (scripts/serve.ts),
 * which is not: instrumentation.ts publishes the direct routes here when the server process starts, and
 * the server asks them first for every request. `false` means "not mine": Next.js answers it.
 */
export type DirectDispatch = (req: IncomingMessage, res: ServerResponse, address: ServerAddress) => Promise<boolean>;

declare global {
  var __plugboardDirectRoutes: DirectDispatch | undefined;
}

/** Loaded on first use, so publishing costs the server's start nothing. */
export function publishDirectRoutes(load: () => Promise<DirectDispatch>): void {
  let loaded: Promise<DirectDispatch> | undefined;
  globalThis.__plugboardDirectRoutes = async (req, res, address) => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return (await loaded)(req, res, address);
  };
}

export function publishedDirectRoutes(): DirectDispatch | undefined {
  return globalThis.__plugboardDirectRoutes;
}
