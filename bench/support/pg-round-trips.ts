/**
 * A loopback TCP proxy in front of Postgres that counts the client's round trips: every Sync (extended
 * protocol, one per parameterised query) and every simple Query message (BEGIN, COMMIT, …) ends one.
 * It only reads the 5-byte message headers to find the boundaries; bytes are forwarded unchanged.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";

export type RoundTripCounter = { port: number; roundTrips(): number; close(): Promise<void> };

export async function startRoundTripCounter(target: { host: string; port: number }): Promise<RoundTripCounter> {
  let roundTrips = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", () => {
      upstream.destroy();
      forget();
    });
    upstream.on("close", () => {
      client.destroy();
      forget();
    });
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    upstream.pipe(client);
    // The startup message (and an SSLRequest before it) has no type byte; every later message has one.
    let untyped = true;
    let pending: Buffer = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      for (;;) {
        const header = untyped ? 4 : 5;
        if (pending.length - at < header) break;
        const length = pending.readUInt32BE(untyped ? at : at + 1);
        const total = untyped ? length : 1 + length;
        if (pending.length - at < total) break;
        if (untyped) {
          // 80877103: SSLRequest, followed by another untyped startup message.
          untyped = length === 8 && pending.readUInt32BE(at + 4) === 80877103;
        } else {
          const type = pending[at];
          if (type === 0x53 /* S */ || type === 0x51 /* Q */) roundTrips++;
        }
        at += total;
      }
      pending = pending.subarray(at);
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    roundTrips: () => roundTrips,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
