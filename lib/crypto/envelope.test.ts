import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, decryptJson, encryptJson, generateKey, needsReencryption, parseKeyring, reencrypt } from "./index";

const AAD = "team:t1:connection:c1";
const ring = parseKeyring(generateKey("k1"));
const secret = { apiKey: "sk_live_123", nested: { list: [1, "two", null] }, unicode: "häßlich ✓" };

function failure(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecryptionError);
    return err as DecryptionError;
  }
  throw new Error("expected decryption to fail");
}

/** Flips one bit of the decoded payload at `index` and re-encodes it. */
function flip(blob: string, index: number): string {
  const [v, k, payload] = blob.split(".");
  const bytes = Buffer.from(payload, "base64url");
  bytes[index] ^= 0x01;
  return `${v}.${k}.${bytes.toString("base64url")}`;
}

describe("encryptJson / decryptJson", () => {
  it("round-trips JSON values", () => {
    for (const value of [secret, "plain string", 42, true, null, [], ""]) {
      expect(decryptJson(ring, encryptJson(ring, value, AAD), AAD)).toEqual(value);
    }
  });

  it("uses the v1.<keyId>.<base64url> format and a fresh nonce every time", () => {
    const a = encryptJson(ring, secret, AAD);
    const b = encryptJson(ring, secret, AAD);
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split(".")[2], "base64url").subarray(0, 12)).not.toEqual(Buffer.from(b.split(".")[2], "base64url").subarray(0, 12));
    expect(a).not.toContain("sk_live");
  });

  it.each([
    ["nonce", 0],
    ["auth tag", 14],
    ["ciphertext", 40],
  ])("detects a tampered %s", (_part, index) => {
    const blob = encryptJson(ring, secret, AAD);
    expect(failure(() => decryptJson(ring, flip(blob, index), AAD)).reason).toBe("authentication_failed");
  });

  it("refuses a value moved to another record (different AAD)", () => {
    const blob = encryptJson(ring, secret, AAD);
    const err = failure(() => decryptJson(ring, blob, "team:t1:connection:c2"));
    expect(err.reason).toBe("authentication_failed");
    expect(err.message).toMatch(/integrity check/);
  });

  it("refuses a keyring with the same id but other key bytes", () => {
    const blob = encryptJson(ring, secret, AAD);
    const other = parseKeyring(generateKey("k1"));
    expect(failure(() => decryptJson(other, blob, AAD)).reason).toBe("authentication_failed");
  });

  it("detects an edited key id header even when both ids hold the same key bytes", () => {
    // Same bytes under two ids: only the key id bound into the AAD makes the edit detectable.
    const bytes = randomBytes(32).toString("base64");
    const both = parseKeyring(`k2:${bytes}`, `k1:${bytes}`);
    const blob = encryptJson(both, secret, AAD);
    expect(failure(() => decryptJson(both, blob.replace(/^v1\.k2\./, "v1.k1."), AAD)).reason).toBe("authentication_failed");
  });

  it("names an unknown key id and where to configure it", () => {
    const blob = encryptJson(parseKeyring(generateKey("gone")), secret, AAD);
    const err = failure(() => decryptJson(ring, blob, AAD));
    expect(err.reason).toBe("unknown_key");
    expect(err.keyId).toBe("gone");
    expect(err.message).toMatch(/PLUGBOARD_ENCRYPTION_KEYS_OLD/);
  });

  it.each(["", "hello", "v2.k1.AAAA", "v1.k1", "v1..AAAA", "v1.k1.AAAA", "v1.k1.not base64!", "v1.k1.a.b"])("reports %j as malformed", (blob) => {
    expect(failure(() => decryptJson(ring, blob, AAD)).reason).toBe("malformed");
  });

  it("requires associated data", () => {
    expect(() => encryptJson(ring, secret, "")).toThrow(/Associated data/);
    expect(() => decryptJson(ring, encryptJson(ring, secret, AAD), "")).toThrow(/Associated data/);
  });

  it("rejects values JSON cannot represent", () => {
    expect(() => encryptJson(ring, undefined, AAD)).toThrow(TypeError);
  });
});

describe("key rotation", () => {
  const k1 = generateKey("k1");
  const before = parseKeyring(k1);
  const after = parseKeyring(generateKey("k2"), k1);

  it("decrypts values under an old key and flags them for re-encryption", () => {
    const blob = encryptJson(before, secret, AAD);
    expect(needsReencryption(before, blob)).toBe(false);
    expect(needsReencryption(after, blob)).toBe(true);
    expect(decryptJson(after, blob, AAD)).toEqual(secret);
  });

  it("reencrypt moves a value to the current key id", () => {
    const blob = encryptJson(before, secret, AAD);
    const moved = reencrypt(after, blob, AAD);
    expect(moved).toMatch(/^v1\.k2\./);
    expect(needsReencryption(after, moved)).toBe(false);
    expect(decryptJson(after, moved, AAD)).toEqual(secret);
    // The old key alone can no longer read it: it really is under k2.
    expect(failure(() => decryptJson(before, moved, AAD)).reason).toBe("unknown_key");
  });

  it("reencrypt keeps a current value as is but still verifies it", () => {
    const blob = encryptJson(after, secret, AAD);
    expect(reencrypt(after, blob, AAD)).toBe(blob);
    expect(failure(() => reencrypt(after, flip(blob, 30), AAD)).reason).toBe("authentication_failed");
    expect(failure(() => reencrypt(after, encryptJson(before, secret, AAD), "team:x:connection:y")).reason).toBe("authentication_failed");
  });

  it("needsReencryption rejects non-blobs", () => {
    expect(() => needsReencryption(after, "nope")).toThrow(DecryptionError);
  });
});
