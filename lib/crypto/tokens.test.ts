import { describe, expect, it } from "vitest";
import { constantTimeEqual, randomToken, sha256Hex } from "./index";

describe("constantTimeEqual", () => {
  it("compares strings and bytes by content, including different lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual(Buffer.from("abc"), "abc")).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
  });
});

describe("sha256Hex", () => {
  it("matches the known digest", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("randomToken", () => {
  it("is base64url with the requested entropy and unique", () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, "base64url")).toHaveLength(32);
    expect(Buffer.from(randomToken(16), "base64url")).toHaveLength(16);
    expect(new Set(Array.from({ length: 100 }, () => randomToken(16))).size).toBe(100);
  });

  it("refuses fewer than 128 bits", () => {
    expect(() => randomToken(15)).toThrow(/at least 16 bytes/);
    expect(() => randomToken(16.5)).toThrow(RangeError);
  });
});
