import { describe, expect, it } from "vitest";
import { readOwnPath, readOwnProperty } from "./own-path";

describe("readOwnPath", () => {
  const data = { a: { b: [10, { c: "x" }] }, "odd key": 1, nothing: null };

  it("follows own keys and array indexes", () => {
    expect(readOwnPath(data, ["a", "b", 1, "c"])).toBe("x");
    expect(readOwnPath(data, ["odd key"])).toBe(1);
    expect(readOwnPath(data, ["nothing"])).toBeNull();
    expect(readOwnPath(data, ["a", "b", "length"])).toBe(2);
  });

  it.each([["constructor"], ["__proto__"], ["toString"], ["hasOwnProperty"], ["valueOf"]])("never reads the inherited %s", (key) => {
    expect(readOwnPath(data, [key])).toBeUndefined();
    expect(readOwnPath(data, ["a", "b", key])).toBeUndefined();
    expect(readOwnProperty({}, key)).toEqual({ found: false });
  });

  it("reads a key that the data itself holds, even one named like a prototype member", () => {
    const parsed = JSON.parse('{"constructor": "mine", "__proto__": {"x": 1}}') as unknown;
    expect(readOwnPath(parsed, ["constructor"])).toBe("mine");
    expect(readOwnPath(parsed, ["__proto__", "x"])).toBe(1);
  });

  it("finds nothing below primitives", () => {
    expect(readOwnPath("text", ["length"])).toBeUndefined();
    expect(readOwnPath(5, ["toFixed"])).toBeUndefined();
    expect(readOwnPath(null, ["a"])).toBeUndefined();
  });
});
