import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** 256 bits of randomness with a readable prefix, so a leaked value is recognisable in logs and scanners. */
export function randomSecret(prefix: "pbc" | "pbs" | "pbat" | "pbrt" | "pbcode"): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** Client IDs are public; 128 bits keep them unguessable anyway. */
export function randomClientId(): string {
  return `pbc_${randomBytes(16).toString("base64url")}`;
}

/** High-entropy values need no slow hash: SHA-256 cannot be brute-forced back to 256 random bits. */
export function hashSecret(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}
