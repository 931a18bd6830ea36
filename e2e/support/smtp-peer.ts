import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { generateTestCertificates } from "../../lib/http/testing/certificates";

/**
 * A real SMTP server on loopback for the browser tests' app (smtp-server): STARTTLS with a self-signed
 * certificate, AUTH required, each message written as `<n>.eml` into `mailDir` for the specs to read.
 * Returns the PLUGBOARD_SMTP_* settings that point the app at it.
 */
export const SMTP_PEER_USER = "plugboard-e2e";

export async function startSmtpPeer(mailDir: string): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  rmSync(mailDir, { recursive: true, force: true });
  mkdirSync(mailDir, { recursive: true });
  const { selfSigned } = generateTestCertificates();
  const caFile = path.join(mailDir, "smtp-ca.pem");
  writeFileSync(caFile, selfSigned.cert);
  const password = `pw-${process.pid}-${Date.now()}`;
  let count = 0;
  const server = new SMTPServer({
    key: selfSigned.key,
    cert: selfSigned.cert,
    authMethods: ["PLAIN", "LOGIN"],
    size: 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_PEER_USER && auth.password === password) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        writeFileSync(path.join(mailDir, `${++count}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    env: {
      PLUGBOARD_SMTP_HOST: "127.0.0.1",
      PLUGBOARD_SMTP_PORT: String(port),
      PLUGBOARD_SMTP_TLS: "starttls",
      PLUGBOARD_SMTP_USER: SMTP_PEER_USER,
      PLUGBOARD_SMTP_PASSWORD: password,
      PLUGBOARD_SMTP_FROM: "plugboard@example.test",
      PLUGBOARD_SMTP_CA_FILE: caFile,
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Where the peer of the app on `port` writes its messages (the spec and the server agree on it). */
export function e2eMailDir(port: string | undefined): string {
  return path.resolve(`data/e2e-mail-${port ?? "3100"}`);
}
