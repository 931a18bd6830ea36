import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort, stopChild } from "./child-processes";

/** One client the OAuth 1.0a test server knows, with its one access token. */
export interface OAuth1PeerClient {
  key: string;
  secret: string;
  token: string;
  tokenSecret: string;
}

/** What the OAuth 1.0a test server knows (see oauth1-resource-server.py). */
export interface OAuth1Peer {
  clients: OAuth1PeerClient[];
  /** Verifies RSA-SHA1 signatures of any of the clients. */
  rsaPublicKey: string;
  /** The realm it accepts in an Authorization header (absent is accepted too). */
  realm: string;
}

// Debian's python3-oauthlib installs into /usr/bin/python3; OAUTHLIB_PYTHON names another interpreter.
const PYTHON = process.env.OAUTHLIB_PYTHON || "/usr/bin/python3";
const SCRIPT = path.resolve("e2e/support/oauth1-resource-server.py");

/** Starts the oauthlib resource server on a free loopback port. */
export async function startOAuth1Server(peer: OAuth1Peer): Promise<{ url: string; stop: () => Promise<void> }> {
  requireOAuthlib();
  let lastError: unknown;
  // A port picked as free can be taken before the server binds it; a new port covers that.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(PYTHON, [SCRIPT, String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        OAUTH1_PEER: JSON.stringify(peer),
      },
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    try {
      await listening(child);
      return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
    } catch (err) {
      lastError = new Error(`the OAuth 1.0a test server did not start on port ${port}: ${(err as Error).message}\n${stderr}`);
      await stopChild(child);
    }
  }
  throw lastError;
}

/** Resolves once the server printed "listening" (it binds before printing). */
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer within 20 s")), 20_000);
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code}`));
    });
  });
}

function requireOAuthlib(): void {
  try {
    execFileSync(PYTHON, ["-c", "import oauthlib.oauth1, jwt, cryptography"], { stdio: "ignore" });
  } catch {
    throw new Error("python3-oauthlib not found: run `apt-get install -y python3-oauthlib`");
  }
}
