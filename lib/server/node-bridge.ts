import type { IncomingMessage, ServerResponse } from "node:http";
import { type Answer, jsonAnswer } from "@/lib/inbound/answer";
import { BodyTooLargeError, cappedBody, declaresTooLarge, type InboundRequest } from "@/lib/inbound/read-body";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * Serves a handler of the direct routes (the REST API, the OAuth endpoints) on node:http, as Next.js serves a
 * route handler but without its per-request pipeline: the request as a route handler sees it (the URL, the
 * `x-forwarded-*` headers Next.js adds, the body read on demand with its cap, a signal aborted when the client
 * goes away) as an InboundRequest rather than a Web Request, and an Answer (lib/inbound/answer.ts) rather than a
 * Web Response, written with the app's security headers and every Set-Cookie. Measured alone, a Web Request with
 * its body stream and its signal cost a small POST 170-230 us of CPU against 27-32 us for node:http itself.
 */
export type InboundHandler = (request: InboundRequest) => Promise<Answer>;

export type ServerAddress = { hostname: string; port: number };

/** Never rejects: whatever goes wrong is answered (a 500) or, once the answer has started, cuts the connection. */
export async function serveInbound(handler: InboundHandler, req: IncomingMessage, res: ServerResponse, address: ServerAddress): Promise<void> {
  // The signal is made when a handler asks for it (a token never does: an AbortSignal costs a few µs).
  let abort: AbortController | undefined;
  let gone = false;
  // "close" before the answer is finished means the client went away: abort what the handler still does.
  res.once("close", () => {
    if (res.writableFinished) return;
    gone = true;
    abort?.abort();
  });
  const headers = requestHeaders(req, address);
  let body: Promise<Uint8Array<ArrayBuffer>> | undefined;
  const request: InboundRequest = {
    url: `http://${address.hostname}:${address.port}${req.url ?? "/"}`,
    headers,
    get signal() {
      if (!abort) {
        abort = new AbortController();
        if (gone) abort.abort();
      }
      return abort.signal;
    },
    // Read once, like a Web Request's body.
    readBody: (limitBytes) => (body ??= readNodeBody(req, res, headers, limitBytes)),
  };
  await answer(() => handler(request), req, res);
}

async function answer(respond: () => Promise<Answer>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let answered: Answer;
  try {
    answered = await respond();
  } catch (error) {
    // Handlers answer their own errors; this is a bug. Logged by type only: inputs may hold secrets.
    console.error("[plugboard] request failed:", error instanceof Error ? error.name : "unknown");
    answered = SERVER_ERROR;
  }
  // A body the handler did not read (an anonymous caller's upload) is not read to keep the connection open:
  // the connection closes after the answer.
  if (!req.complete) res.shouldKeepAlive = false;
  try {
    writeAnswer(answered, res);
  } catch (error) {
    // A header Node refuses (an invalid character): the answer cannot be sent as the handler made it.
    console.error("[plugboard] answer not sent:", error instanceof Error ? error.name : "unknown");
    if (res.headersSent) res.destroy();
    else {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      writeAnswer(SERVER_ERROR, res);
    }
  }
}

const SERVER_ERROR = jsonAnswer({ error: "server_error" }, { status: 500, headers: { "cache-control": "no-store" } });

/** Headers first (all set before anything is written, so a refused one leaves nothing sent), then the body at once. */
function writeAnswer(answer: Answer, res: ServerResponse): void {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.statusCode = answer.status;
  if (answer.body === null) {
    res.end();
    return;
  }
  // HEAD: the length the body would have, without it.
  res.setHeader("content-length", Buffer.byteLength(answer.body));
  res.end(res.req.method === "HEAD" ? undefined : answer.body);
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
