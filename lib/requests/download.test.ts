import { describe, expect, it } from "vitest";
import { downloadPart } from "./download";

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
