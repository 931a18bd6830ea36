import "server-only";
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";

/**
 * One request handed to undici's dispatcher (its dispatch() with a handler, not its request()): the status and
 * headers as soon as they arrive, the body kept in the order it came until the executor reads it. request()
 * wraps every response in a Readable stream and its promise in an async resource, which cost the executor
 * about as much CPU as the exchange itself for a small JSON answer; a body read into memory needs neither.
 * Bodies that are decompressed or may go to a file still get a Readable (`stream()`), with back-pressure.
 */

/** What the attempt's signal cancels: the exchange in flight. */
export interface Cancellable {
  cancel(reason: Error): void;
}

/** Lets an exchange be cancelled by the attempt's timeout or the caller (lib/http/cancellation.ts). */
export interface ExchangeWatcher {
  /** Cancels the exchange at once when the attempt is already over; else until `unwatch`. */
  watch(exchange: Cancellable): void;
  unwatch(exchange: Cancellable): void;
}

export type IncomingHeaders = Record<string, string | string[] | undefined>;

export interface IncomingResponse {
  statusCode: number;
  statusText: string;
  headers: IncomingHeaders;
  body: IncomingBody;
}

export interface SendOptions {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** What undici's dump() reads of a body nobody needs before it closes the connection instead. */
const DISCARD_LIMIT = 128 * 1024;
/** Bytes held before anyone reads the body: beyond this the socket is paused (back-pressure). */
const UNREAD_LIMIT = 64 * 1024;

/** Sends one request; resolves with its response (body unread) or rejects with undici's or the watcher's error. */
export function sendRequest(dispatcher: Dispatcher, url: URL, options: SendOptions, watcher: ExchangeWatcher): Promise<IncomingResponse> {
  return new Promise((resolve, reject) => {
    const exchange = new Exchange(resolve, reject, watcher);
    watcher.watch(exchange);
    if (exchange.cancelled) return; // the attempt was over before it started: nothing is sent
    const search = url.search;
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: search ? url.pathname + search : url.pathname,
        method: options.method,
        headers: options.headers,
        body: options.body,
      },
      exchange,
    );
  });
}

class Exchange implements Dispatcher.DispatchHandler, Cancellable {
  private controller: Dispatcher.DispatchController | undefined;
  cancelled: Error | undefined;
  private body: IncomingBody | undefined;
  private settled = false;

  constructor(
    private readonly resolve: (res: IncomingResponse) => void,
    private readonly reject: (err: Error) => void,
    private readonly watcher: ExchangeWatcher,
  ) {}

  cancel(reason: Error): void {
    if (this.settled && !this.body) return;
    this.cancelled ??= reason;
    this.controller?.abort(reason);
    // A request still waiting for a connection is refused now; undici drops it when it would start.
    this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancelled) controller.abort(this.cancelled);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHeaders, statusMessage?: string): void {
    if (statusCode < 200 || this.settled) return; // 1xx: informational, the response follows
    this.settled = true;
    this.body = new IncomingBody(controller);
    this.resolve({ statusCode, statusText: statusMessage ?? "", headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.push(chunk);
  }

  onResponseEnd(): void {
    this.watcher.unwatch(this);
    this.body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.watcher.unwatch(this);
    this.fail(this.cancelled ?? error);
  }

  private fail(error: Error): void {
    if (this.body) this.body.fail(error);
    else if (!this.settled) {
      this.settled = true;
      this.reject(error);
    }
  }
}

type Reader =
  | {
      kind: "memory";
      limit: number;
      tooLarge: (context: never) => Error;
      context: unknown;
      resolve: (data: Buffer) => void;
      reject: (err: unknown) => void;
    }
  | { kind: "discard"; resolve: () => void }
  | { kind: "stream"; readable: Readable };

/** A response body as it arrives: read once, into memory (`collect`), as a stream, or thrown away (`dump`). */
export class IncomingBody {
  private chunks: Buffer[] = [];
  private size = 0;
  private done = false;
  private error: Error | undefined;
  private reader: Reader | undefined;

  constructor(private readonly controller: Dispatcher.DispatchController) {}

  /**
   * The whole body, refused with `tooLarge(context)` (and the exchange stopped) as soon as it passes `limit`
   * bytes. The error is made only then, from a context rather than a closure: this runs for every response.
   */
  collect<C>(limit: number, tooLarge: (context: C) => Error, context: C): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.read({ kind: "memory", limit, tooLarge, context, resolve, reject });
      if (this.size > limit) this.refuse(tooLarge(context));
      else this.settle();
    });
  }

  /** The body as a Readable (decompression, downloads to a file); destroying it cancels the exchange. */
  stream(): Readable {
    const readable = new Readable({
      highWaterMark: UNREAD_LIMIT, // undici's own response streams hold as much
      read: () => this.controller.resume(),
      destroy: (err, callback) => {
        if (!this.done) this.controller.abort(err ?? abortedError());
        callback(err);
      },
    });
    this.read({ kind: "stream", readable });
    for (const chunk of this.chunks.splice(0)) readable.push(chunk);
    if (this.error) readable.destroy(this.error);
    else if (this.done) readable.push(null);
    return readable;
  }

  /** Reads and drops a body nobody needs, so the connection can be reused; a long one closes it instead. */
  dump(): Promise<void> {
    return new Promise((resolve) => {
      this.chunks = [];
      this.read({ kind: "discard", resolve });
      if (this.size > DISCARD_LIMIT && !this.done) this.refuse(abortedError());
      else this.settle();
    });
  }

  destroy(): void {
    if (!this.done) this.refuse(abortedError());
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    this.size += chunk.length;
    const reader = this.reader;
    if (reader?.kind === "stream") {
      if (!reader.readable.push(chunk)) this.controller.pause();
    } else if (reader?.kind === "discard") {
      if (this.size > DISCARD_LIMIT) this.refuse(abortedError());
    } else if (reader && this.size > reader.limit) {
      this.refuse((reader.tooLarge as (context: unknown) => Error)(reader.context));
    } else {
      this.chunks.push(chunk);
      if (!reader && this.size > UNREAD_LIMIT) this.controller.pause();
    }
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    if (this.reader?.kind === "stream") this.reader.readable.push(null);
    else this.settle();
  }

  fail(error: Error): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    if (this.reader?.kind === "stream") this.reader.readable.destroy(error);
    else this.settle();
  }

  private read(reader: Reader): void {
    if (this.reader) throw new Error("a response body can be read only once");
    this.reader = reader;
    if (this.controller.paused) this.controller.resume();
  }

  /** Ends the body with `reason` whether or not it had arrived whole, and stops an exchange still running. */
  private refuse(reason: Error): void {
    if (!this.done) this.controller.abort(reason);
    this.done = true;
    this.error = reason;
    this.chunks = [];
    if (this.reader?.kind === "stream") this.reader.readable.destroy(reason);
    else this.settle();
  }

  /** Hands the outcome to a memory or discard reader once the body has ended or failed. */
  private settle(): void {
    const reader = this.reader;
    if (!this.done || !reader || reader.kind === "stream") return;
    if (reader.kind === "discard") reader.resolve();
    else if (this.error) reader.reject(this.error);
    else reader.resolve(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size));
    this.chunks = [];
  }
}

function abortedError(): Error {
  return Object.assign(new Error("the response body was not read to its end"), { code: "UND_ERR_ABORTED" });
}
