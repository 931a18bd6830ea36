// Loopback peer for the bench cases (bench/cases/executor.ts, bench/executor-download.ts), run as its own process so a client's CPU and RSS are its own.
// /small answers a tiny JSON document; /bytes?n=N streams N bytes from one reused 64 KiB chunk, honouring
// backpressure, so even a 1 GiB body never sits in this process's memory. /slow?ms=N answers after N ms.
// Started with a file's path as its argument, /file serves that one file as plain Node does (fs stream piped
// to the socket): bench/cases/downloads.ts's ceiling for any Node server on the machine.
import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import { pipeline } from "node:stream/promises";

const servedFile = process.argv[2];

const chunk = Buffer.alloc(64 * 1024, 0x61);
const small = Buffer.from(JSON.stringify({ ok: true, items: [1, 2, 3], name: "plugboard" }));

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://bench");
  if (url.pathname === "/small") {
    res.writeHead(200, { "content-type": "application/json", "content-length": small.length });
    res.end(small);
    return;
  }
  if (url.pathname === "/slow") {
    // A slow upstream for bench/load.ts: answers after ?ms= milliseconds (at most 30 s).
    const ms = Math.min(30_000, Number(url.searchParams.get("ms") ?? "1000"));
    const timer = setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json", "content-length": small.length });
      res.end(small);
    }, ms);
    res.on("close", () => clearTimeout(timer));
    return;
  }
  if (url.pathname === "/file" && servedFile) {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": statSync(servedFile).size });
    pipeline(createReadStream(servedFile, { highWaterMark: 1024 * 1024 }), res).catch(() => res.destroy());
    return;
  }
  if (url.pathname === "/bytes") {
    let left = Number(url.searchParams.get("n") ?? "0");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": left });
    const pump = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
