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
