/**
 * Reads an incoming request's body with a byte cap: a declared Content-Length over the cap is refused
 * before anything is read, and a body without one (chunked) is read only up to the cap, then the stream
 * is cancelled. Every route handler reads its body through here, never `request.text()/json()/formData()`.
 */

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The body is larger than ${formatBytes(limitBytes)}.`);
    this.name = "BodyTooLargeError";
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** True when the request declares a length over the cap: answer 413 without reading. */
export function declaresTooLarge(headers: Headers, limitBytes: number): boolean {
  const declared = headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limitBytes;
}

export async function readBodyBytes(request: Pick<Request, "headers" | "body">, limitBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (declaresTooLarge(request.headers, limitBytes)) {
    await request.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limitBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const body = cappedBody(limitBytes);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!body.add(value)) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limitBytes);
    }
  }
  return body.bytes();
}

/** A body's chunks collected under a cap, for readers of a Web stream (above) and of Node's (lib/server/node-bridge.ts). */
export function cappedBody(limitBytes: number) {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return {
    /** Keeps the chunk; false, keeping nothing, once the body is over the cap. */
    add(chunk: Uint8Array): boolean {
      total += chunk.byteLength;
      if (total > limitBytes) return false;
      chunks.push(chunk);
      return true;
    },
    /** The chunks joined, in a buffer of their own. */
    bytes(): Uint8Array<ArrayBuffer> {
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.byteLength;
      }
      return bytes;
    },
  };
}

/**
 * A request as the REST API and the OAuth endpoints read it: its URL, its headers, one capped read of its body
 * and a signal aborted when the client goes away. A Web Request gives one (`inboundRequest`); so does the
 * production server straight from Node's request (lib/server/node-bridge.ts), without the Web Request and body
 * stream that cost a small POST more CPU than the token endpoint's own work.
 */
export interface InboundRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  /** The body, as readBodyBytes reads it: a declared length over the cap refused unread, reading stopped at it. */
  readBody(limitBytes: number): Promise<Uint8Array<ArrayBuffer>>;
}

export function inboundRequest(request: Request | InboundRequest): InboundRequest {
  if (!(request instanceof Request)) return request;
  return { url: request.url, headers: request.headers, signal: request.signal, readBody: (limitBytes) => readBodyBytes(request, limitBytes) };
}

export async function readBodyText(request: Request | InboundRequest, limitBytes: number): Promise<string> {
  return new TextDecoder().decode(await inboundRequest(request).readBody(limitBytes));
}

/** The body as JSON; `undefined` for an empty body. Throws SyntaxError when it is not JSON. */
export async function readBodyJson(request: Request | InboundRequest, limitBytes: number): Promise<unknown> {
  const text = await readBodyText(request, limitBytes);
  return text.trim() === "" ? undefined : JSON.parse(text);
}

/** A form (urlencoded or multipart) parsed from the capped bytes, never from the open stream. */
export async function readBodyForm(request: Request, limitBytes: number): Promise<FormData> {
  const bytes = await readBodyBytes(request, limitBytes);
  return new Response(bytes, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
}
