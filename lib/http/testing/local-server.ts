import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

export type LocalServer = { url: string; port: number; close: () => Promise<void> };

/**
 * A throw-away HTTP(S) server on 127.0.0.1 with a random port, for tests that need a peer they control.
 * `tls` takes node:https options: a key and certificate, and for mutual TLS also `ca`, `requestCert` and `rejectUnauthorized`.
 */
export async function startLocalServer(handler: http.RequestListener, tls?: https.ServerOptions): Promise<LocalServer> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body fully (test servers are small). */
export async function readRequestBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function httpbinUrl(): string {
  const url = process.env.HTTPBIN_URL;
  if (!url) throw new Error("HTTPBIN_URL is not set: e2e/support/vitest-global-httpbin.ts should have started httpbin");
  return url;
}
