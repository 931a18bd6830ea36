import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { downloadPart, fileByteStream } from "./download";

describe("downloadPart", () => {
  it("serves the whole file without a Range header", () => {
    expect(downloadPart(null, 1000)).toEqual({ kind: "whole" });
  });

  it("serves one byte range, open-ended and suffix ranges included, clamped to the file", () => {
    expect(downloadPart("bytes=0-99", 1000)).toEqual({ kind: "range", start: 0, end: 99 });
    expect(downloadPart("bytes=900-", 1000)).toEqual({ kind: "range", start: 900, end: 999 });
    expect(downloadPart("bytes=-100", 1000)).toEqual({ kind: "range", start: 900, end: 999 });
    expect(downloadPart("bytes=500-5000", 1000)).toEqual({ kind: "range", start: 500, end: 999 });
  });

  it("answers 416 for a range past the end", () => {
    expect(downloadPart("bytes=1000-1100", 1000)).toEqual({ kind: "unsatisfiable" });
  });

  it("sends the whole file for a malformed header, another unit or several ranges", () => {
    expect(downloadPart("bytes=abc", 1000)).toEqual({ kind: "whole" });
    expect(downloadPart("items=0-5", 1000)).toEqual({ kind: "whole" });
    expect(downloadPart("bytes=0-9,500-509", 1000)).toEqual({ kind: "whole" });
  });

  it("merges overlapping ranges into one", () => {
    expect(downloadPart("bytes=0-99,50-199", 1000)).toEqual({ kind: "range", start: 0, end: 199 });
  });
});

describe("fileByteStream", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "download-test-"));
  const file = path.join(dir, "body");
  // 2.5 MiB of a repeating pattern: several chunks, the last one short.
  const content = Buffer.alloc(2.5 * 1024 * 1024);
  for (let i = 0; i < content.length; i++) content[i] = i % 251;
  writeFileSync(file, content);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const readAll = async (stream: ReadableStream<Uint8Array>) => {
    const chunks: Uint8Array[] = [];
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    return Buffer.concat(chunks);
  };

  it("streams the whole file, and any byte range of it", async () => {
    expect((await readAll(await fileByteStream(file, 0, content.length - 1))).equals(content)).toBe(true);
    expect((await readAll(await fileByteStream(file, 1_000_000, 2_100_000))).equals(content.subarray(1_000_000, 2_100_001))).toBe(true);
    expect((await readAll(await fileByteStream(file, 5, 5))).equals(content.subarray(5, 6))).toBe(true);
  });

  it("fails when the file is shorter than the range it was asked for", async () => {
    await expect(readAll(await fileByteStream(file, 0, content.length + 10))).rejects.toThrow(/shorter/);
  });
});
