import { describe, expect, it } from "vitest";
import { describeRequest } from "./debug-request";
import { MASK, maskHeaderValue, maskSecrets } from "./mask";

describe("masking", () => {
  it("masks a secret as written, percent-encoded and form-encoded", () => {
    const secret = "a b/c+d";
    expect(maskSecrets(`raw=${secret} pct=${encodeURIComponent(secret)} form=a+b%2Fc%2Bd`, [secret])).toBe(`raw=${MASK} pct=${MASK} form=${MASK}`);
    expect(maskSecrets("abcdef", ["abc", "abcdef"])).toBe(MASK);
    expect(maskSecrets("nothing here", ["", "zzz"])).toBe("nothing here");
  });

  it("looks inside Basic credentials", () => {
    const header = `Basic ${Buffer.from("ada:pw-123").toString("base64")}`;
    expect(maskHeaderValue("Authorization", header, ["pw-123"])).toBe(`Basic ${MASK}`);
    expect(maskHeaderValue("Authorization", header, ["other"])).toBe(header);
    expect(maskHeaderValue("X-Key", "k=pw-123", ["pw-123"])).toBe(`k=${MASK}`);
  });

  it("masks a secret that straddles the preview cut", () => {
    const secret = "S".repeat(10);
    const body = Buffer.from(`${"x".repeat(2044)}${secret}${"y".repeat(100)}`);
    const d = describeRequest({ method: "POST", url: new URL("https://h.test/p?k=SSSSSSSSSS"), headers: new Headers({ a: "1" }), body }, [secret]);
    expect(d.url).toBe(`https://h.test/p?k=${MASK}`);
    expect(d.bodyPreview).not.toContain("SSSS");
    expect(d.bodyPreview).toMatch(/^x{2044}•{4} … \(2154 bytes in all\)$/);
    expect(d.headers).toEqual({ host: "h.test", a: "1", "content-length": "2154" });
  });
});
