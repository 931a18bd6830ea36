import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Serves a web-standard handler `(Request) => Response` over real HTTP on 127.0.0.1 and counts how many
 * body bytes the handler pulled from the socket: the request body is a pull stream, so bytes are counted
 * only when the handler asks for them, which is how Next.js hands route handlers their body.
 */
export async function serveWebHandler(handler: (request: Request) => Promise<Response>) {
  let consumed = 0;
  const server: Server = createServer(async (req, res) => {
    const response = await handler(toWebRequest(req, (n) => (consumed += n))).catch((error: unknown) => new Response(String(error), { status: 500 }));
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), connection: "close" });
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    consumed: () => consumed,
    resetCount: () => void (consumed = 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function toWebRequest(req: IncomingMessage, count: (n: number) => void): Request {
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const chunks = req[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) return controller.close();
        count(next.value.length);
        controller.enqueue(new Uint8Array(next.value));
      },
      cancel() {
        // Unread bytes are left to Node, which discards them (not counted: the handler never saw them).
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, ...(hasBody ? { body, duplex: "half" } : {}) } as RequestInit);
}

/**
 * POSTs an endless chunked body (no Content-Length) until the server answers or `maxBytes` were sent,
 * and returns the status and how much was sent.
 */
export function postEndlessBody(
  url: string,
  headers: Record<string, string> = {},
  maxBytes = 64 * 1024 * 1024,
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      answered = true;
      res.resume();
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sent });
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < maxBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
