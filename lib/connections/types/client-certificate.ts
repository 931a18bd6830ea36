import "server-only";
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { Socket } from "node:net";
import tls from "node:tls";
import { MASK } from "@/lib/http/mask";
import type { ClientCertificate } from "@/lib/http/types";
import { clientCertificateIssues, type ClientCertificateField, type ClientCertificateValues } from "./client-certificate-form";
import type { StoredSecrets } from "./descriptor";

/**
 * The server half of a connection's client certificate: whether what was pasted opens with OpenSSL (on
 * save), and the ClientCertificate the executor and the OAuth calls present. Every message here is fixed
 * text: OpenSSL's own errors are never passed on, so no message can quote a key or a passphrase.
 */

export type ClientCertificateErrors = Partial<Record<ClientCertificateField, string>>;

/** The certificate to present, from a connection's decrypted secrets; undefined when it has none. */
export function clientCertificateOf(secrets: StoredSecrets): ClientCertificate | undefined {
  const passphrase = secrets.tlsPassphrase || undefined;
  if (secrets.tlsPkcs12) return { pfx: Buffer.from(secrets.tlsPkcs12, "base64"), passphrase };
  if (secrets.tlsCertificate && secrets.tlsPrivateKey) return { certPem: secrets.tlsCertificate, keyPem: secrets.tlsPrivateKey, passphrase };
  return undefined;
}

/**
 * curl options presenting the connection's certificate, for the cURL export (empty without one). The
 * certificate and key cannot live in a command line: the options name files the user saves them to, as the
 * export does for multipart file fields; the passphrase is masked.
 */
export function clientCertificateCurlOptions(secrets: StoredSecrets): string[] {
  const pass = secrets.tlsPassphrase ? `:${MASK}` : "";
  if (secrets.tlsPkcs12) return ["--cert-type", "P12", "--cert", `client-certificate.p12${pass}`];
  if (!secrets.tlsCertificate || !secrets.tlsPrivateKey) return [];
  return ["--cert", "client-certificate.pem", "--key", "client-key.pem", ...(secrets.tlsPassphrase ? ["--pass", MASK] : [])];
}

/**
 * Field errors, in words, for a client certificate that would not work (empty when it would, or when there
 * is none). Call on save with the parsed input: the schema checked the shape, this opens the key and bundle.
 */
export function checkClientCertificate(values: ClientCertificateValues, now: Date = new Date()): ClientCertificateErrors {
  const issues = clientCertificateIssues(values);
  if (issues.length) return Object.fromEntries(issues.map((i) => [i.field, i.message]));
  const passphrase = values.tlsPassphrase || undefined;
  if (values.tlsPkcs12) return checkPkcs12(Buffer.from(values.tlsPkcs12, "base64"), passphrase, now);
  if (values.tlsCertificate && values.tlsPrivateKey) return checkPem(values.tlsCertificate, values.tlsPrivateKey, passphrase, now);
  return {};
}

/**
 * When the client certificate stops being valid, read from the certificate itself (its notAfter): the leaf of
 * a PEM chain, or the certificate a PKCS#12 bundle presents. Undefined without one or when it cannot be read
 * (the save check reports that at its field).
 */
export function clientCertificateExpiry(values: ClientCertificateValues): Date | undefined {
  try {
    if (values.tlsPkcs12) {
      const context = tls.createSecureContext({ pfx: Buffer.from(values.tlsPkcs12, "base64"), passphrase: values.tlsPassphrase || undefined });
      const socket = new tls.TLSSocket(new Socket(), { secureContext: context });
      const cert = socket.getX509Certificate();
      socket.destroy();
      return cert ? new Date(cert.validTo) : undefined;
    }
    if (values.tlsCertificate) return new Date(new X509Certificate(values.tlsCertificate).validTo);
  } catch {
    return undefined;
  }
  return undefined;
}

function checkPkcs12(pfx: Buffer, passphrase: string | undefined, now: Date): ClientCertificateErrors {
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext({ pfx, passphrase });
  } catch (err) {
    const message = errorMessage(err);
    // Node's words for PKCS12_R_MAC_VERIFY_FAILURE: the integrity check keyed by the passphrase failed.
    if (/mac verify failure/i.test(message)) {
      return {
        tlsPassphrase: passphrase
          ? "The passphrase does not open this PKCS#12 bundle."
          : "This PKCS#12 bundle is protected by a passphrase: enter it.",
      };
    }
    if (/unsupported pkcs12/i.test(message)) {
      return {
        tlsPkcs12:
          "This PKCS#12 bundle is encrypted with an old algorithm (RC2 or 3DES) that OpenSSL 3 no longer loads: export it again " +
          "(openssl pkcs12 -export without -legacy), or use the PEM certificate and key.",
      };
    }
    return { tlsPkcs12: "This is not a PKCS#12 bundle that can be read (a .p12 or .pfx file with a certificate and its private key)." };
  }
  // Node has no PKCS#12 reader; a TLS socket (never connected) over the loaded context shows the certificate it would present.
  const socket = new tls.TLSSocket(new Socket(), { secureContext: context });
  const cert = socket.getX509Certificate();
  socket.destroy();
  return cert ? expiry(cert, "tlsPkcs12", now) : {};
}

function expiry(cert: X509Certificate, field: ClientCertificateField, now: Date): ClientCertificateErrors {
  const validTo = new Date(cert.validTo);
  return validTo < now ? { [field]: `This certificate expired on ${validTo.toISOString().slice(0, 10)}; servers refuse it.` } : {};
}

function checkPem(certPem: string, keyPem: string, passphrase: string | undefined, now: Date): ClientCertificateErrors {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return {
      tlsCertificate: "The certificate could not be read: paste the whole PEM block, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.",
    };
  }
  const expired = expiry(cert, "tlsCertificate", now);
  if (expired.tlsCertificate) return expired;
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(keyPem) && !passphrase) {
    return { tlsPassphrase: "This private key is encrypted: enter its passphrase." };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, format: "pem", passphrase });
  } catch (err) {
    if ((err as { code?: unknown })?.code === "ERR_OSSL_BAD_DECRYPT") return { tlsPassphrase: "The passphrase does not open this private key." };
    return { tlsPrivateKey: "The private key could not be read: paste the whole PEM block, from -----BEGIN … PRIVATE KEY----- to its END line." };
  }
  if (!cert.checkPrivateKey(key)) return { tlsPrivateKey: "The key does not match the certificate." };
  try {
    // What the TLS handshake will load: the whole chain and the key, as OpenSSL reads them.
    tls.createSecureContext({ cert: certPem, key: keyPem, passphrase });
  } catch {
    return { tlsCertificate: "The certificate chain could not be loaded for TLS: check that every certificate in it is a complete PEM block." };
  }
  return {};
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
