import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, declaresTooLarge, type InboundRequest } from "@/lib/inbound/read-body";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * Serves a Web `Request -> Response` handler on node:http, as Next.js does for a route handler but
 * without its per-request pipeline: the same request as a route handler sees (the `x-forwarded-*`
 * headers Next.js adds, a body streamed on demand, a signal aborted when the client goes away) and the
 * same answer (the app's security headers, every Set-Cookie, the body streamed with back-pressure).
 */
export type WebHandler = (request: Request) => Promise<Response>;

export type ServerAddress = { hostname: string; port: number };

/** Never rejects: whatever goes wrong is answered (a 500) or, once the answer has started, cuts the connection. */
export async function serveWebHandler(handler: WebHandler, req: IncomingMessage, res: ServerResponse, address: ServerAddress): Promise<void> {
  const abort = new AbortController();
  // "close" before the answer is finished means the client went away: abort what the handler still does.
  res.once("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  await answer(() => handler(toWebRequest(req, address, abort.signal, res)), req, res);
}

/**
 * A handler of form requests (the OAuth endpoints) served without a Web Request: the same URL and headers,
 * the body read from Node's stream with the same cap rules. Measured alone, the Web Request, its body stream
 * and its signal cost a small POST 2-3 times the CPU of the rest of the bridge; these handlers need none of them.
 */
export type InboundHandler = (request: InboundRequest) => Promise<Response>;

export async function serveInbound(handler: InboundHandler, req: IncomingMessage, res: ServerResponse, address: ServerAddress): Promise<void> {
  const headers = requestHeaders(req, address);
  let body: Promise<Uint8Array<ArrayBuffer>> | undefined;
  const request: InboundRequest = {
    url: requestUrl(req, address),
    headers,
    // Read once, like a Web Request's body.
    readBody: (limitBytes) => (body ??= readNodeBody(req, res, headers, limitBytes)),
  };
  await answer(() => handler(request), req, res);
}

async function answer(respond: () => Promise<Response>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: Response;
  try {
    response = await respond();
  } catch (error) {
    // Handlers answer their own errors; this is a bug. Logged by type only: inputs may hold secrets.
    console.error("[plugboard] request failed:", error instanceof Error ? error.name : "unknown");
    response = Response.json({ error: "server_error" }, { status: 500, headers: { "Cache-Control": "no-store" } });
  }
  // A body the handler did not read (an anonymous caller's upload) is not read to keep the connection open:
  // the connection closes after the answer.
  if (!req.complete) res.shouldKeepAlive = false;
  try {
    await writeWebResponse(response, res);
  } catch (error) {
    // A header Node refuses (an invalid character): the answer cannot be sent as the handler made it.
    console.error("[plugboard] answer not sent:", error instanceof Error ? error.name : "unknown");
    if (res.headersSent) res.destroy();
    else {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" }).end('{"error":"server_error"}');
    }
  }
}

function requestHeaders(req: IncomingMessage, address: ServerAddress): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  // What Next.js's base server sets before a route handler runs (only when the client did not send them).
  if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", req.headers.host ?? address.hostname);
  if (!headers.has("x-forwarded-port")) headers.set("x-forwarded-port", String(address.port));
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", "http");
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);
  return headers;
}

function requestUrl(req: IncomingMessage, address: ServerAddress): string {
  return `http://${address.hostname}:${address.port}${req.url ?? "/"}`;
}

function toWebRequest(req: IncomingMessage, address: ServerAddress, signal: AbortSignal, res: ServerResponse): Request {
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(requestUrl(req, address), {
    method,
    headers: requestHeaders(req, address),
    signal,
    body: hasBody ? bodyStream(req, res) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM types lack it.
    duplex: "half",
  });
}

/**
 * The request body, read from the socket only as the handler reads it. A handler that stops early (a
 * body over its cap) cancels it: the rest is not read, and the connection closes after the answer,
 * rather than Node reading the whole upload to keep the connection alive.
 */
function bodyStream(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on("data", (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => controller.close());
        req.once("error", (error) => controller.error(error));
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.pause();
        res.shouldKeepAlive = false;
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * The body straight from Node's stream, with readBodyBytes's rules: a declared length over the cap is refused
 * unread, a body without one is read only up to the cap; either way the rest is never read and the connection
 * closes after the answer.
 */
function readNodeBody(req: IncomingMessage, res: ServerResponse, headers: Headers, limitBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (declaresTooLarge(headers, limitBytes)) {
    res.shouldKeepAlive = false;
    return Promise.reject(new BodyTooLargeError(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limitBytes) {
        stop();
        req.pause();
        res.shouldKeepAlive = false;
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.byteLength;
      }
      resolve(bytes);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // The client went away before the body ended (without an error event).
    const onClose = () => onError(new Error("The request ended before its body."));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.statusCode = response.status;
  if (!response.body || res.req.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
    }
    res.end();
  } catch (error) {
    // A stream that fails mid-answer cannot become an error answer any more: cut the connection.
    console.error("[plugboard] response stream failed:", error instanceof Error ? error.name : "unknown");
    res.destroy();
  } finally {
    if (res.destroyed) await reader.cancel().catch(() => {});
  }
}
