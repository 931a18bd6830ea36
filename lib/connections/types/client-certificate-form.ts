import type { z } from "zod";
import { LIMITS, line, text } from "@/lib/validation/fields";
import type { FormField } from "./descriptor";

/**
 * The client certificate (mutual TLS) every connection type may carry: a PEM certificate chain and private
 * key, or a PKCS#12 bundle (base64), with an optional passphrase for either. Client-safe: these checks are
 * about shape only; whether the key and bundle actually open is checked on the server
 * (checkClientCertificate in client-certificate.ts), because only the server has OpenSSL.
 */

export const CLIENT_CERTIFICATE_SECRET_FIELDS = ["tlsCertificate", "tlsPrivateKey", "tlsPkcs12", "tlsPassphrase"] as const;
export type ClientCertificateField = (typeof CLIENT_CERTIFICATE_SECRET_FIELDS)[number];
export type ClientCertificateValues = { [F in ClientCertificateField]?: string } & { tlsCaCertificate?: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const pemText = (marker: RegExp, message: string) =>
  text(LIMITS.pem)
    .trim()
    .default("")
    .refine((v) => v === "" || marker.test(v), message);

/** Spread into a type's z.object (commonFields does, for every type). All optional. */
export const clientCertificateFields = {
  tlsCertificate: pemText(
    /-----BEGIN CERTIFICATE-----/,
    "Paste the client certificate in PEM form (from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----).",
  ),
  tlsPrivateKey: pemText(
    /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/,
    "Paste the private key in PEM form (from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----).",
  ),
  // A file loaded into the form arrives as base64; a pasted one may be wrapped over several lines.
  tlsPkcs12: text(LIMITS.pem)
    .default("")
    .transform((v) => v.replace(/\s+/g, ""))
    .refine((v) => v.length % 4 === 0 && BASE64.test(v), "Load the .p12 or .pfx file, or paste it as base64."),
  tlsPassphrase: line(LIMITS.secret).default(""),
  // Not secret: a server with a private CA (as mutual-TLS servers often have) is trusted for this connection's calls.
  tlsCaCertificate: pemText(
    /-----BEGIN CERTIFICATE-----/,
    "Paste the CA certificate in PEM form (from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----).",
  ),
};

export const CLIENT_CERTIFICATE_DEFAULTS = { tlsCertificate: "", tlsPrivateKey: "", tlsPkcs12: "", tlsPassphrase: "", tlsCaCertificate: "" } as const;

/** The rules between the fields, in words, each naming the field to fix. Shared by the schema and the server check. */
export function clientCertificateIssues(v: ClientCertificateValues): Array<{ field: ClientCertificateField; message: string }> {
  const issues: Array<{ field: ClientCertificateField; message: string }> = [];
  const pem = !!v.tlsCertificate || !!v.tlsPrivateKey;
  if (pem && v.tlsPkcs12) {
    issues.push({ field: "tlsPkcs12", message: "Use either a PEM certificate and key or a PKCS#12 bundle, not both: clear one of them." });
  }
  if (v.tlsPrivateKey && !v.tlsCertificate) {
    issues.push({ field: "tlsCertificate", message: "Enter the client certificate (PEM) that goes with the private key." });
  }
  if (v.tlsCertificate && !v.tlsPrivateKey) {
    issues.push({ field: "tlsPrivateKey", message: "Enter the private key of the client certificate (PEM)." });
  }
  if (v.tlsPassphrase && !v.tlsPrivateKey && !v.tlsPkcs12) {
    issues.push({
      field: "tlsPassphrase",
      message: "A passphrase opens a private key or a PKCS#12 bundle: enter one of them, or clear the passphrase.",
    });
  }
  return issues;
}

/** For a type's schema: `.superRefine(refineClientCertificate)` (zod keeps the object's type). */
export function refineClientCertificate(v: ClientCertificateValues, ctx: z.RefinementCtx): void {
  for (const issue of clientCertificateIssues(v)) ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message });
}

/**
 * The form's controls for the client certificate; spread at the end of a type's field list. Kept as literal
 * types (`as const satisfies`) so they check against each type's own form values when spread there.
 */
export const clientCertificateFormFields = [
  {
    kind: "textarea",
    name: "tlsCertificate",
    label: "Client Certificate (PEM)",
    hint: "Optional, for servers that require mutual TLS: the certificate, then any intermediate certificates. Also presented on this connection's OAuth token calls.",
    placeholder: "-----BEGIN CERTIFICATE-----",
    secret: true,
    file: { accept: ".pem,.crt,.key", encoding: "text" },
  },
  {
    kind: "textarea",
    name: "tlsPrivateKey",
    label: "Client Private Key (PEM)",
    placeholder: "-----BEGIN PRIVATE KEY-----",
    secret: true,
    file: { accept: ".pem,.crt,.key", encoding: "text" },
  },
  {
    kind: "textarea",
    name: "tlsPkcs12",
    label: "Or a PKCS#12 Bundle (.p12, .pfx)",
    hint: "Instead of the PEM certificate and key: load the file (kept as base64).",
    secret: true,
    file: { accept: ".p12,.pfx", encoding: "base64" },
  },
  {
    kind: "text",
    name: "tlsPassphrase",
    label: "Certificate Passphrase",
    hint: "For an encrypted private key or the PKCS#12 bundle.",
    secret: true,
  },
  {
    kind: "textarea",
    name: "tlsCaCertificate",
    label: "Trusted CA Certificate (PEM)",
    hint: "Optional: the CA that signed the server's certificate, when it is a private one. Trusted for this connection's requests, Verify and token calls, in addition to the public CAs.",
    placeholder: "-----BEGIN CERTIFICATE-----",
    file: { accept: ".pem,.crt", encoding: "text" },
  },
] as const satisfies ReadonlyArray<FormField<ClientCertificateValues>>;
