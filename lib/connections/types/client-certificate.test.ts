import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateClientCertificates, type ClientCertificateFixtures } from "@/lib/http/testing/certificates";
import { checkClientCertificate, clientCertificateCurlOptions, clientCertificateOf } from "./client-certificate";
import { CLIENT_CERTIFICATE_SECRET_FIELDS, COMMON_DEFAULTS, commonFields, refineClientCertificate } from "./common";

// A type's schema as every type builds it: the common fields (with the client certificate) and the refinement.
const schema = z.object({ type: z.literal("test"), ...commonFields }).superRefine(refineClientCertificate);
const parse = (values: Record<string, string>) => schema.safeParse({ type: "test", ...COMMON_DEFAULTS, name: "n", ...values });
const fieldErrors = (values: Record<string, string>) => {
  const r = parse(values);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("client certificate fields", () => {
  let certs: ClientCertificateFixtures;
  let pkcs12: string;
  beforeAll(() => {
    certs = generateClientCertificates();
    pkcs12 = certs.pkcs12.toString("base64");
  });

  it("are optional: a connection without a client certificate parses, with empty fields", () => {
    const r = parse({});
    expect(r.success).toBe(true);
    if (r.success) expect(r.data).toMatchObject({ tlsCertificate: "", tlsPrivateKey: "", tlsPkcs12: "", tlsPassphrase: "" });
  });

  it("accept a PEM certificate and key, or a PKCS#12 bundle (base64 wrapped over lines is joined)", () => {
    expect(parse({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key }).success).toBe(true);
    const wrapped = pkcs12.replace(/(.{64})/g, "$1\n");
    const r = parse({ tlsPkcs12: wrapped, tlsPassphrase: certs.pkcs12Passphrase });
    expect(r.success && r.data.tlsPkcs12).toBe(pkcs12);
  });

  it("name the field to fix: a key without its certificate, a certificate without its key, both forms at once", () => {
    expect(fieldErrors({ tlsPrivateKey: certs.client.key })).toEqual({
      tlsCertificate: "Enter the client certificate (PEM) that goes with the private key.",
    });
    expect(fieldErrors({ tlsCertificate: certs.client.cert })).toEqual({ tlsPrivateKey: "Enter the private key of the client certificate (PEM)." });
    expect(fieldErrors({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key, tlsPkcs12: pkcs12 })).toEqual({
      tlsPkcs12: "Use either a PEM certificate and key or a PKCS#12 bundle, not both: clear one of them.",
    });
    expect(Object.keys(fieldErrors({ tlsPassphrase: "a passphrase" }))).toEqual(["tlsPassphrase"]);
  });

  it("refuse what is not PEM or base64, and PEM larger than LIMITS.pem", () => {
    expect(Object.keys(fieldErrors({ tlsCertificate: "hello", tlsPrivateKey: certs.client.key }))).toEqual(["tlsCertificate"]);
    expect(Object.keys(fieldErrors({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.cert }))).toEqual(["tlsPrivateKey"]);
    expect(Object.keys(fieldErrors({ tlsPkcs12: "not base64!" }))).toEqual(["tlsPkcs12"]);
    const huge = `${certs.client.cert}\n${"A".repeat(64 * 1024)}`;
    expect(fieldErrors({ tlsCertificate: huge, tlsPrivateKey: certs.client.key }).tlsCertificate).toMatch(/^Use at most 65536 characters/);
  });

  it("are all secret", () => {
    expect([...CLIENT_CERTIFICATE_SECRET_FIELDS].sort()).toEqual(["tlsCertificate", "tlsPassphrase", "tlsPkcs12", "tlsPrivateKey"]);
  });
});

describe("checkClientCertificate (on save)", () => {
  let certs: ClientCertificateFixtures;
  let pkcs12: string;
  beforeAll(() => {
    certs = generateClientCertificates();
    pkcs12 = certs.pkcs12.toString("base64");
  });

  it("passes a working PEM pair, an encrypted key with its passphrase, a PKCS#12 bundle with its passphrase, and nothing", () => {
    expect(checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key })).toEqual({});
    expect(
      checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.encryptedKey, tlsPassphrase: certs.keyPassphrase }),
    ).toEqual({});
    expect(checkClientCertificate({ tlsPkcs12: pkcs12, tlsPassphrase: certs.pkcs12Passphrase })).toEqual({});
    expect(checkClientCertificate({})).toEqual({});
  });

  it("says when the passphrase does not open the PKCS#12 bundle, or is missing", () => {
    expect(checkClientCertificate({ tlsPkcs12: pkcs12, tlsPassphrase: "wrong passphrase" })).toEqual({
      tlsPassphrase: "The passphrase does not open this PKCS#12 bundle.",
    });
    expect(checkClientCertificate({ tlsPkcs12: pkcs12 })).toEqual({ tlsPassphrase: "This PKCS#12 bundle is protected by a passphrase: enter it." });
  });

  it("says when a PKCS#12 bundle uses legacy algorithms, or is not one", () => {
    const legacy = checkClientCertificate({ tlsPkcs12: certs.legacyPkcs12.toString("base64"), tlsPassphrase: certs.pkcs12Passphrase });
    expect(legacy.tlsPkcs12).toMatch(/^This PKCS#12 bundle is encrypted with an old algorithm \(RC2 or 3DES\)/);
    expect(checkClientCertificate({ tlsPkcs12: Buffer.from("not a bundle").toString("base64") })).toEqual({
      tlsPkcs12: "This is not a PKCS#12 bundle that can be read (a .p12 or .pfx file with a certificate and its private key).",
    });
  });

  it("says when the key does not match the certificate", () => {
    expect(checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.stranger.key })).toEqual({
      tlsPrivateKey: "The key does not match the certificate.",
    });
  });

  it("says when an encrypted key's passphrase is wrong or missing", () => {
    expect(checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.encryptedKey, tlsPassphrase: "wrong" })).toEqual({
      tlsPassphrase: "The passphrase does not open this private key.",
    });
    expect(checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.encryptedKey })).toEqual({
      tlsPassphrase: "This private key is encrypted: enter its passphrase.",
    });
  });

  it("says when the certificate or the key cannot be read, and when the certificate has expired", () => {
    const truncated = certs.client.cert.slice(0, 120);
    expect(Object.keys(checkClientCertificate({ tlsCertificate: truncated, tlsPrivateKey: certs.client.key }))).toEqual(["tlsCertificate"]);
    const badKey = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----";
    expect(checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: badKey }).tlsPrivateKey).toMatch(
      /^The private key could not be read/,
    );
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    expect(checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.client.key }, inAWeek).tlsCertificate).toMatch(
      /^This certificate expired on \d{4}-\d{2}-\d{2}; servers refuse it\.$/,
    );
    expect(checkClientCertificate({ tlsPkcs12: pkcs12, tlsPassphrase: certs.pkcs12Passphrase }, inAWeek).tlsPkcs12).toMatch(
      /^This certificate expired on \d{4}-\d{2}-\d{2}; servers refuse it\.$/,
    );
  });

  it("repeats the schema's rules between fields, so a caller that skipped the schema gets them too", () => {
    expect(checkClientCertificate({ tlsPrivateKey: certs.client.key })).toEqual({
      tlsCertificate: "Enter the client certificate (PEM) that goes with the private key.",
    });
  });

  it("never quotes a key, a bundle or a passphrase in its messages", () => {
    const secrets = [certs.keyPassphrase, certs.pkcs12Passphrase, "wrong passphrase", pkcs12.slice(0, 40), certs.client.key.slice(40, 80)];
    const messages = [
      checkClientCertificate({ tlsPkcs12: pkcs12, tlsPassphrase: "wrong passphrase" }),
      checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.encryptedKey, tlsPassphrase: "wrong passphrase" }),
      checkClientCertificate({ tlsCertificate: certs.client.cert, tlsPrivateKey: certs.stranger.key }),
    ].flatMap((e) => Object.values(e));
    expect(messages).toHaveLength(3);
    for (const m of messages) for (const s of secrets) expect(m).not.toContain(s);
  });
});

describe("clientCertificateOf", () => {
  it("builds the PEM pair or the PKCS#12 bundle to present, or nothing", () => {
    expect(clientCertificateOf({ tlsCertificate: "C", tlsPrivateKey: "K", tlsPassphrase: "" })).toEqual({
      certPem: "C",
      keyPem: "K",
      passphrase: undefined,
    });
    const p12 = clientCertificateOf({ tlsPkcs12: Buffer.from("bundle").toString("base64"), tlsPassphrase: "pw" });
    expect(p12?.pfx?.toString()).toBe("bundle");
    expect(p12?.passphrase).toBe("pw");
    expect(clientCertificateOf({ apiKey: "k" })).toBeUndefined();
    expect(clientCertificateOf({ tlsCertificate: "C" })).toBeUndefined();
  });
});

describe("clientCertificateCurlOptions", () => {
  it("names the files curl reads the certificate from, and masks the passphrase", () => {
    expect(clientCertificateCurlOptions({ tlsCertificate: "C", tlsPrivateKey: "K" })).toEqual([
      "--cert",
      "client-certificate.pem",
      "--key",
      "client-key.pem",
    ]);
    expect(clientCertificateCurlOptions({ tlsCertificate: "C", tlsPrivateKey: "K", tlsPassphrase: "secret pass" })).toEqual([
      "--cert",
      "client-certificate.pem",
      "--key",
      "client-key.pem",
      "--pass",
      "••••••",
    ]);
    expect(clientCertificateCurlOptions({ tlsPkcs12: "QUJD", tlsPassphrase: "secret pass" })).toEqual([
      "--cert-type",
      "P12",
      "--cert",
      "client-certificate.p12:••••••",
    ]);
    expect(clientCertificateCurlOptions({ apiKey: "k" })).toEqual([]);
  });
});
