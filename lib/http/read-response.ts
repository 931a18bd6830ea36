import "server-only";
import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable, Transform } from "node:stream";
import { once } from "node:events";
import zlib from "node:zlib";
import { HttpRequestError } from "./errors";
import type { IncomingBody } from "./incoming-response";

export type ReadBody = { kind: "memory"; data: Buffer } | { kind: "file"; path: string; size: number };

export interface ReadLimits {
  maxBodyBytes: number;
  /** Only binary bodies may spill to a file. */
  spillToFile: boolean;
  downloadDir?: string;
  maxFileBytes: number;
}

/**
 * Reads a response body as a stream, decompressing it, holding at most maxBodyBytes in memory. Limits apply
 * to the decoded size so a small compressed body cannot inflate past them.
 */
export async function readBody(body: IncomingBody, contentEncoding: string | undefined, limits: ReadLimits): Promise<ReadBody> {
  const downloadDir = limits.spillToFile ? limits.downloadDir : undefined;
  // The common case (uncompressed, memory only): the chunks as they came, no stream in between.
  if (!contentEncoding && !downloadDir) return { kind: "memory", data: await body.collect(limits.maxBodyBytes, tooLarge, limits) };
  const raw = body.stream();
  const stream = decode(raw, contentEncoding);
  if (!downloadDir) return readToMemory(raw, stream, contentEncoding, limits);
  // A body that may go to a file (binary, with a download folder): streamed with back-pressure on the disk.
  const chunks: Buffer[] = [];
  let size = 0;
  let file: { path: string; out: WriteStream } | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (!file && size > limits.maxBodyBytes) {
        file = await openDownload(downloadDir);
        for (const c of chunks.splice(0)) await write(file.out, c);
      }
      if (file) {
        if (size > limits.maxFileBytes)
          throw new HttpRequestError(
            "body_too_large",
            `body too large: the download exceeded ${formatBytes(limits.maxFileBytes)}, the limit for files`,
          );
        await write(file.out, chunk);
      } else {
        chunks.push(chunk);
      }
    }
    if (!file) return { kind: "memory", data: Buffer.concat(chunks, size) };
    file.out.end();
    await once(file.out, "finish");
    return { kind: "file", path: file.path, size };
  } catch (err) {
    raw.destroy();
    if (stream !== raw) stream.destroy();
    if (file) {
      file.out.destroy();
      await rm(file.path, { force: true });
    }
    throw decodingError(err, contentEncoding);
  }
}

/**
 * A compressed body that can only go to memory: plain "data" events, which cost much less per
 * response than an async iterator over the stream, with the same limit checked on every chunk.
 */
function readToMemory(raw: Readable, stream: Readable, contentEncoding: string | undefined, limits: ReadLimits): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      raw.destroy();
      if (stream !== raw) stream.destroy();
      reject(decodingError(err, contentEncoding));
    };
    stream.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limits.maxBodyBytes) fail(tooLarge(limits));
      else chunks.push(chunk);
    });
    stream.on("error", fail);
    // Closed without an end or an error (destroyed quietly): what an async iterator reports as a premature close.
    stream.once("close", () => {
      if (!settled) fail(Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" }));
    });
    stream.once("end", () => {
      if (settled) return;
      settled = true;
      resolve({ kind: "memory", data: Buffer.concat(chunks, size) });
    });
  });
}

/** A decompression failure said as such; anything else as it is. */
function decodingError(err: unknown, contentEncoding: string | undefined): unknown {
  if (err instanceof Error && /incorrect header check|unexpected end of file|Decompression failed/i.test(err.message)) {
    return new HttpRequestError("network", `the response claimed ${contentEncoding} compression but could not be decompressed: ${err.message}`);
  }
  return err;
}

/** Reads a body the executor does not need (a redirect, a retried error) so the connection can be reused. */
export async function discardBody(body: { dump?: () => Promise<void>; destroy: () => void }): Promise<void> {
  try {
    if (body.dump) await body.dump();
    else body.destroy();
  } catch {
    // A broken body of a response being thrown away does not matter.
  }
}

function decode(raw: Readable, contentEncoding: string | undefined): Readable {
  if (!contentEncoding) return raw; // the common case, without building the list below
  // "gzip, br" means gzip was applied first: undo from the last one.
  const codings = contentEncoding
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c && c !== "identity")
    .reverse();
  let stream: Readable = raw;
  for (const coding of codings) {
    const decoder = decoderFor(coding);
    if (!decoder) return raw; // unknown coding: hand over the bytes as they came
    stream.on("error", (err) => decoder.destroy(err));
    stream = stream.pipe(decoder);
  }
  return stream;
}

function decoderFor(coding: string): Transform | undefined {
  // Lenient flushes: many servers end gzip/deflate streams without the final block marker.
  const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === "gzip" || coding === "x-gzip") return zlib.createGunzip(lenient);
  if (coding === "deflate") return zlib.createInflate(lenient);
  if (coding === "br") return zlib.createBrotliDecompress();
  return undefined;
}

async function openDownload(dir: string): Promise<{ path: string; out: WriteStream }> {
  await mkdir(dir, { recursive: true });
  const filePath = path.join(dir, `plugboard-${randomUUID()}.bin`);
  // A larger buffer than the 16 KiB default lets disk writes overlap with reading the socket.
  const out = createWriteStream(filePath, { flags: "wx", highWaterMark: 1024 * 1024 });
  await once(out, "open");
  return { path: filePath, out };
}

async function write(out: WriteStream, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

function tooLarge(limits: ReadLimits): HttpRequestError {
  const hint = limits.spillToFile
    ? "no download folder is configured for larger binary bodies"
    : "choose the binary response type to download it to a file";
  return new HttpRequestError("body_too_large", `body too large: the response is larger than ${formatBytes(limits.maxBodyBytes)}; ${hint}`);
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
