import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateTestCertificates } from "../../lib/http/testing/certificates";

/**
 * The https:// proxy peer's certificate (stunnel in front of tinyproxy, e2e/support/tinyproxy.ts) and its CA,
 * made once per run. The CA reaches the test processes the way an admin gives Plugboard a private CA for its
 * proxy: NODE_EXTRA_CA_CERTS, which Node reads only when a process starts, so it is set here, before vitest
 * starts its workers (which inherit this environment). A CA file already named there is kept in the new one.
 */
export default function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "plugboard-proxy-ca-"));
  const certs = generateTestCertificates();
  const previous = process.env.NODE_EXTRA_CA_CERTS;
  const kept = previous && existsSync(previous) ? `${readFileSync(previous, "utf8").trim()}\n` : "";
  const files = { ca: path.join(dir, "ca.pem"), cert: path.join(dir, "proxy-cert.pem"), key: path.join(dir, "proxy-key.pem") };
  writeFileSync(files.ca, `${kept}${certs.caPem.trim()}\n`);
  writeFileSync(files.cert, certs.signed.cert);
  writeFileSync(files.key, certs.signed.key, { mode: 0o600 });
  process.env.NODE_EXTRA_CA_CERTS = files.ca;
  process.env.TEST_PROXY_TLS_CERT_FILE = files.cert;
  process.env.TEST_PROXY_TLS_KEY_FILE = files.key;
  return () => {
    if (previous === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
