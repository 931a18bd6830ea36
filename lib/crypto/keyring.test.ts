import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKey, KeyringConfigError, parseKeyring } from "./index";

const b64 = (n = 32) => randomBytes(n).toString("base64");

describe("parseKeyring", () => {
  it("reads the current key and old keys", () => {
    const ring = parseKeyring(`k3:${b64()}`, ` k1:${b64()} , k2:${randomBytes(32).toString("base64url")} `);
    expect(ring.currentKeyId).toBe("k3");
    expect([...ring.keyIds].sort()).toEqual(["k1", "k2", "k3"]);
  });

  it("accepts unpadded base64", () => {
    expect(parseKeyring(`k1:${b64().replace(/=+$/, "")}`).currentKeyId).toBe("k1");
  });

  it("does not expose key bytes when logged or serialised", () => {
    const secret = b64();
    const ring = parseKeyring(`k1:${secret}`);
    expect(JSON.stringify(ring)).not.toContain(secret.slice(0, 20));
    expect(JSON.stringify(ring)).toContain("k1");
  });

  it.each([
    ["missing", undefined, /PLUGBOARD_ENCRYPTION_KEY is not set/],
    ["empty", "  ", /PLUGBOARD_ENCRYPTION_KEY is not set/],
    ["no key id", b64(), /PLUGBOARD_ENCRYPTION_KEY has no key id/],
    ["bad key id", `k.1:${b64()}`, /invalid key id "k\.1"/],
    ["short key", `k1:${b64(16)}`, /not the base64 encoding of exactly 32 bytes/],
    ["long key", `k1:${b64(33)}`, /not the base64 encoding of exactly 32 bytes/],
    ["not base64", `k1:${"!".repeat(44)}`, /not the base64 encoding/],
  ])("rejects a %s current key with a message naming the variable and format", (_name, value, message) => {
    const err = catchError(() => parseKeyring(value));
    expect(err).toBeInstanceOf(KeyringConfigError);
    expect(err.message).toMatch(message);
    expect(err.message).toContain("<keyId>:<base64 32-byte key>");
    expect(err.message).toContain("openssl rand -base64 32");
    expect((err as KeyringConfigError).variable).toMatch(/^PLUGBOARD_ENCRYPTION_KEY/);
  });

  it("names the old-keys variable and entry for a bad old key", () => {
    const err = catchError(() => parseKeyring(`k2:${b64()}`, `k1:${b64()},oops`));
    expect(err.message).toMatch(/^PLUGBOARD_ENCRYPTION_KEYS_OLD \(entry 2\) has no key id/);
  });

  it("rejects two different keys under one id", () => {
    expect(() => parseKeyring(`k1:${b64()}`, `k1:${b64()}`)).toThrow(/key id "k1" for two different keys/);
    const same = `k1:${b64()}`;
    expect(parseKeyring(same, same).keyIds).toEqual(["k1"]);
  });
});

describe("generateKey", () => {
  it("produces a value parseKeyring accepts, different every time", () => {
    const a = generateKey("k7");
    expect(a).toMatch(/^k7:[A-Za-z0-9+/]{43}=$/);
    expect(parseKeyring(a).currentKeyId).toBe("k7");
    expect(generateKey("k7")).not.toBe(a);
  });

  it("refuses key ids that would break the blob format", () => {
    expect(() => generateKey("a.b")).toThrow(/Key id/);
    expect(() => generateKey("")).toThrow(/Key id/);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}
