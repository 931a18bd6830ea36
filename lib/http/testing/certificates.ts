import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type TestCertificates = {
  /** A CA that signed `signed` and `wrongHost`. */
  caPem: string;
  /** Self-signed, valid for 127.0.0.1. */
  selfSigned: { key: string; cert: string };
  /** Signed by the CA, valid for 127.0.0.1. */
  signed: { key: string; cert: string };
  /** Signed by the CA, valid only for other.plugboard.test. */
  wrongHost: { key: string; cert: string };
};

/** Generates throw-away certificates with the openssl CLI in a temp folder (removed afterwards). */
export function generateTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), "plugboard-tls-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
  try {
    openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-subj",
      "/CN=Plugboard Test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    );
    openssl("req", "-x509", ...ec, "-keyout", "self.key", "-out", "self.pem", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
    const leaf = (name: string, san: string) =>
      openssl(
        "req",
        "-x509",
        ...ec,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.pem`,
        "-subj",
        `/CN=${name}`,
        "-addext",
        `subjectAltName=${san}`,
        "-addext",
        "basicConstraints=CA:FALSE",
      );
    leaf("signed", "IP:127.0.0.1");
    leaf("wrong", "DNS:other.plugboard.test");
    const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
    return {
      caPem: read("ca.pem"),
      selfSigned: { key: read("self.key"), cert: read("self.pem") },
      signed: { key: read("signed.key"), cert: read("signed.pem") },
      wrongHost: { key: read("wrong.key"), cert: read("wrong.pem") },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type ClientCertificateFixtures = {
  /** The CA the mutual-TLS server trusts for client certificates; it also signed `server`. */
  caPem: string;
  /** The server's certificate, valid for 127.0.0.1. */
  server: { key: string; cert: string };
  /** Signed by the CA, subject CN=plugboard-client, O=Plugboard Tests, for client authentication. */
  client: { key: string; cert: string };
  /** The same key as `client`, encrypted with `keyPassphrase`. */
  encryptedKey: string;
  keyPassphrase: string;
  /** The client certificate and key as PKCS#12 (OpenSSL 3 defaults: AES-256, PBKDF2), encrypted with `pkcs12Passphrase`. */
  pkcs12: Buffer;
  pkcs12Passphrase: string;
  /** The same bundle with OpenSSL's -legacy algorithms (RC2-40/3DES), which Node's OpenSSL 3 does not load by default. */
  legacyPkcs12: Buffer;
  /** Signed by another CA, which the server does not trust. */
  stranger: { key: string; cert: string };
};

/** Throw-away certificates for mutual TLS tests (openssl CLI, temp folder removed afterwards). */
export function generateClientCertificates(): ClientCertificateFixtures {
  const keyPassphrase = 'key pass: ünïcode "quoted"';
  const pkcs12Passphrase = "p12 pass: 'quoted' & spaced";
  const dir = mkdtempSync(path.join(tmpdir(), "plugboard-mtls-"));
  // Passphrases go through the environment (env:NAME), never on a command line.
  const env = { ...process.env, KEY_PASS: keyPassphrase, P12_PASS: pkcs12Passphrase };
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe", env });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
  const ca = (name: string, subject: string) =>
    openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-subj",
      subject,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    );
  const leaf = (name: string, issuer: string, subject: string, ...ext: string[]) =>
    openssl(
      "req",
      "-x509",
      ...ec,
      "-CA",
      `${issuer}.pem`,
      "-CAkey",
      `${issuer}.key`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-subj",
      subject,
      "-addext",
      "basicConstraints=CA:FALSE",
      ...ext.flatMap((e) => ["-addext", e]),
    );
  try {
    ca("ca", "/CN=Plugboard mTLS Test CA");
    ca("other", "/CN=Some Other CA");
    leaf("server", "ca", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
    leaf("client", "ca", "/CN=plugboard-client/O=Plugboard Tests", "extendedKeyUsage=clientAuth");
    leaf("stranger", "other", "/CN=stranger", "extendedKeyUsage=clientAuth");
    openssl("pkey", "-in", "client.key", "-aes256", "-passout", "env:KEY_PASS", "-out", "client-encrypted.key");
    const export12 = (out: string, ...extra: string[]) =>
      openssl("pkcs12", "-export", ...extra, "-in", "client.pem", "-inkey", "client.key", "-out", out, "-passout", "env:P12_PASS");
    export12("client.p12");
    export12("legacy.p12", "-legacy");
    const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
    return {
      caPem: read("ca.pem"),
      server: { key: read("server.key"), cert: read("server.pem") },
      client: { key: read("client.key"), cert: read("client.pem") },
      encryptedKey: read("client-encrypted.key"),
      keyPassphrase,
      pkcs12: readFileSync(path.join(dir, "client.p12")),
      pkcs12Passphrase,
      legacyPkcs12: readFileSync(path.join(dir, "legacy.p12")),
      stranger: { key: read("stranger.key"), cert: read("stranger.pem") },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
