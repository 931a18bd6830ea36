import { requireTool } from "./system-tools";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { stopChild } from "./child-processes";

/**
 * Starts aws-sigv4-peer.py: an HTTP server on a free loopback port that checks each request's AWS Signature V4
 * with Debian's python3-botocore (an independent signer) and refuses a mismatch. It runs under /usr/bin/python3,
 * the interpreter the Debian package installs into. The server binds port 0 and prints the port it got, so no
 * other process can take the port between choosing and binding it.
 */

export interface AwsPeerCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const SCRIPT = fileURLToPath(new URL("./aws-sigv4-peer.py", import.meta.url));
const START_TIMEOUT_MS = 20_000;

export async function startAwsSigV4Peer(credentials: AwsPeerCredential[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(requireTool("botocore"), [SCRIPT], {
    stdio: ["ignore", "pipe", "pipe"],
    // Only what the peer needs: the host's AWS_* variables must not reach botocore.
    env: {
      NODE_ENV: process.env.NODE_ENV,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      AWS_SIGV4_PEER_CREDENTIALS: JSON.stringify(credentials),
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code}`));
      });
    });
    child.stdout?.resume();
    return { url, stop: () => stopChild(child) };
  } catch (err) {
    await stopChild(child);
    throw new Error(`the AWS SigV4 peer did not start: ${(err as Error).message}\n${stderr}`.trim());
  }
}
