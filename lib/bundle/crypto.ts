import "server-only";
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { ServiceError } from "@/lib/errors/service-error";
import type { KdfParams, Sealed } from "./schema";

/**
 * The passphrase encryption of a bundle's secrets: a key from Node's scrypt over the passphrase and a
 * per-bundle random salt, then AES-256-GCM per sealed value. Each value's associated data binds it to the
 * bundle (format, version, export time, KDF parameters and salt) and to its place in it (e.g.
 * `connection:<id>`), so a value moved to another item, or a changed header, does not decrypt.
 */

/** scrypt cost for new bundles: N=2^15, r=8, p=1 (32 MiB, the RFC 7914 interactive setting scaled up). */
export const DEFAULT_KDF = { N: 2 ** 15, r: 8, p: 1 } as const;
export const MIN_PASSPHRASE_LENGTH = 12;
const CHECK_VALUE = "plugboard-bundle-passphrase-check";

export class BundleDecryptError extends ServiceError {
  constructor(message: string) {
    super(message, "invalid", { passphrase: message });
  }
}

export function newKdfParams(): KdfParams {
  return { name: "scrypt", salt: randomBytes(16).toString("base64"), ...DEFAULT_KDF, keyLength: 32 };
}

export function deriveBundleKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new ServiceError(`Use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`, "invalid", {
      passphrase: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`,
    });
  }
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize("NFC"),
      Buffer.from(kdf.salt, "base64"),
      kdf.keyLength,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/** The associated data of one sealed value: the bundle's header fields, then where the value belongs. */
export function sealedAad(header: { format: string; version: number; exportedAt: string; kdf: KdfParams }, place: string): Buffer {
  const { kdf } = header;
  return Buffer.from([header.format, header.version, header.exportedAt, kdf.name, kdf.N, kdf.r, kdf.p, kdf.keyLength, kdf.salt, place].join("\n"));
}

export function seal(key: Buffer, plaintext: string, aad: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
}

/** The plaintext, or null when the tag does not match (wrong key, changed value or changed header). */
export function open(key: Buffer, sealed: Sealed, aad: Buffer): string | null {
  const iv = Buffer.from(sealed.iv, "base64");
  const tag = Buffer.from(sealed.tag, "base64");
  if (iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

export const CHECK_PLACE = "check";

export function sealCheck(key: Buffer, aad: Buffer): Sealed {
  return seal(key, CHECK_VALUE, aad);
}

export function checkKey(key: Buffer, check: Sealed, aad: Buffer): void {
  if (open(key, check, aad) !== CHECK_VALUE) {
    throw new BundleDecryptError("The passphrase is wrong, or the bundle's header was changed: nothing was imported.");
  }
}
