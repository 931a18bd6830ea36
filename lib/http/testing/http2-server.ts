import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { LocalServer } from "./local-server";

/**
 * A throw-away TLS server on 127.0.0.1 that offers HTTP/2 in the handshake (ALPN "h2") and also answers
 * HTTP/1.1 clients, so a test sees which one a client chose. The handler gets Node's compatibility request
 * (`req.httpVersion` is "2.0" or "1.1").
 */
export async function startHttp2Server(
  handler: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  tls: { key: string; cert: string },
): Promise<LocalServer> {
  const server = http2.createSecureServer({ ...tls, allowHTTP1: true }, handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("secureConnection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
