import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stopChild } from "@/e2e/support/child-processes";

// Python's ssl module verifies the client certificate inside OpenSSL's handshake, so unlike node:https it
// answers a refused certificate with a TLS alert (unknown CA, certificate required): the other way servers refuse.
const SCRIPT = `
import http.server, json, ssl, sys
cert, key, ca = sys.argv[1:4]
class Whoami(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        subject = dict(pair[0] for pair in self.connection.getpeercert()["subject"])
        body = json.dumps({"subject": subject}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Whoami)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
context.load_verify_locations(ca)
context.verify_mode = ssl.CERT_REQUIRED
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
`;

/** An HTTPS server in Python requiring a client certificate issued by `caPem`; GET answers the certificate's subject. */
export async function startPythonMtlsServer(
  server: { cert: string; key: string },
  caPem: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "plugboard-pymtls-"));
  const files = { cert: path.join(dir, "server.pem"), key: path.join(dir, "server.key"), ca: path.join(dir, "ca.pem") };
  writeFileSync(files.cert, server.cert);
  writeFileSync(files.key, server.key, { mode: 0o600 });
  writeFileSync(files.ca, caPem);
  const child = spawn("/usr/bin/python3", ["-c", SCRIPT, files.cert, files.key, files.ca], { stdio: ["ignore", "pipe", "pipe"] });
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(() => reject(new Error(`the Python mTLS server did not start: ${err}`)), 15_000);
      child.stderr?.on("data", (d: Buffer) => {
        err = (err + d.toString()).slice(-2000);
      });
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const line = /^(\d+)\n/.exec(out);
        if (line) {
          clearTimeout(timer);
          resolve(Number(line[1]));
        }
      });
      child.once("exit", (code) => reject(new Error(`the Python mTLS server exited with code ${code}: ${err}`)));
    });
    return { url: `https://127.0.0.1:${port}`, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
