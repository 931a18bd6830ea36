import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { freePort, stopChild } from "./child-processes";
import { requireTool } from "./system-tools";

/**
 * Starts Debian's python3-httpbin on a free loopback port. It must run under /usr/bin/python3: that is
 * the interpreter the Debian package installs into; another python3 on PATH may not have it.
 */
export async function startHttpbin(): Promise<{ url: string; stop: () => Promise<void> }> {
  requireTool("httpbin"); // one line saying what to install, rather than a Python traceback
  let lastError: unknown;
  // A port picked as free can be taken before httpbin binds it; a second try with a new port covers that.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn("/usr/bin/python3", ["-m", "httpbin.core", "--host", "127.0.0.1", "--port", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(url, child);
      return { url, stop: () => stopChild(child) };
    } catch (err) {
      lastError = new Error(`httpbin did not start on ${url}: ${(err as Error).message}\n${stderr}`);
      await stopChild(child);
    }
  }
  throw lastError;
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    if (await answers(`${url}/get`)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no answer within 20 s");
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on("error", () => resolve(false));
  });
}
