import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, cappedBody, declaresTooLarge, type InboundRequest } from "@/lib/inbound/read-body";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * Serves a handler of the direct routes (the REST API, the OAuth endpoints) on node:http, as Next.js serves a
 * route handler but without its per-request pipeline: the request as a route handler sees it (the URL, the
 * `x-forwarded-*` headers Next.js adds, the body read on demand with its cap, a signal aborted when the client
 * goes away) as an InboundRequest rather than a Web Request, and the same answer (the app's security headers,
 * every Set-Cookie, the body streamed with back-pressure). Measured alone, a Web Request with its body stream
 * and its signal cost a small POST 170-230 us of CPU against 27-32 us for node:http itself.
 */
export type InboundHandler = (request: InboundRequest) => Promise<Response>;

export type ServerAddress = { hostname: string; port: number };

/** Never rejects: whatever goes wrong is answered (a 500) or, once the answer has started, cuts the connection. */
export async function serveInbound(handler: InboundHandler, req: IncomingMessage, res: ServerResponse, address: ServerAddress): Promise<void> {
  const abort = new AbortController();
  // "close" before the answer is finished means the client went away: abort what the handler still does.
  res.once("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const headers = requestHeaders(req, address);
  let body: Promise<Uint8Array<ArrayBuffer>> | undefined;
  const request: InboundRequest = {
    url: `http://${address.hostname}:${address.port}${req.url ?? "/"}`,
    headers,
    signal: abort.signal,
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
    const body = cappedBody(limitBytes);
    const stop = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      if (!body.add(chunk)) {
        stop();
        req.pause();
        res.shouldKeepAlive = false;
        reject(new BodyTooLargeError(limitBytes));
      }
    };
    const onEnd = () => {
      stop();
      resolve(body.bytes());
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
