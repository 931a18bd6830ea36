import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Compares secrets (tokens, hashes) without leaking through timing where the first difference is. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  // Hashing first gives equal-length inputs, so the length of the secret is not leaked either.
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function sha256Hex(input: string | Uint8Array): string {
  return createHash("sha256").update(input).digest("hex");
}

const MIN_TOKEN_BYTES = 16;

/** A URL-safe random token; at least 16 bytes (128 bits) so it cannot be guessed. */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`randomToken needs at least ${MIN_TOKEN_BYTES} bytes (128 bits), got ${bytes}`);
  }
  return randomBytes(bytes).toString("base64url");
}
